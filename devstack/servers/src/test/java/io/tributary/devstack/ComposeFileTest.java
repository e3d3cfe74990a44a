package io.tributary.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * compose.yaml cannot run here (no Docker engine), so this keeps it honest: the services exist,
 * images are pinned, host ports, bucket and users equal the devstack defaults, and every file it
 * mounts from the repository exists.
 */
class ComposeFileTest {
    private static final Path REPO = Path.of(System.getProperty("tributary.home", "../..")).toAbsolutePath().normalize();
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        try (Reader r = Files.newBufferedReader(REPO.resolve("compose.yaml"))) {
            services = (Map<String, Map<String, Object>>) new Yaml().<Map<String, Object>>load(r).get("services");
        }
    }

    @Test
    void hasTheStackTopology() {
        assertThat(services).containsKeys("kafka", "schema-registry", "connect", "mysql", "postgres", "minio", "minio-init");
    }

    @Test
    void pinsEveryImageTag() {
        services.forEach((name, service) -> {
            String image = (String) service.get("image");
            assertThat(image).as(name).matches("[^:]+:[^:]+").doesNotEndWith(":latest");
        });
    }

    @Test
    void publishesTheDevstackDefaultPorts() {
        assertThat(hostPorts("kafka")).contains(StackConfig.DEFAULT_KAFKA_PORT);
        assertThat(hostPorts("schema-registry")).contains(StackConfig.DEFAULT_REGISTRY_PORT);
        assertThat(hostPorts("connect")).contains(StackConfig.DEFAULT_CONNECT_PORT);
        assertThat(hostPorts("minio")).contains(StackConfig.DEFAULT_S3_PORT);
        assertThat(hostPorts("mysql")).contains(StackConfig.DEFAULT_MARIADB_PORT);
        assertThat(hostPorts("postgres")).contains(StackConfig.DEFAULT_POSTGRES_PORT);
    }

    /** The dashboards database, its owner (the JDBC sink's user) and the BI role are those of the devstack's PostgreSQL. */
    @Test
    void postgresHasTheDevstackDatabaseUsersAndBiGrants() throws IOException {
        Map<?, ?> env = (Map<?, ?>) services.get("postgres").get("environment");
        assertThat(env.get("POSTGRES_DB")).isEqualTo(StackConfig.PG_DATABASE);
        assertThat(env.get("POSTGRES_USER")).isEqualTo(StackConfig.PG_USER);
        assertThat(env.get("POSTGRES_PASSWORD")).isEqualTo(StackConfig.PG_PASSWORD);
        String init = Files.readString(REPO.resolve("devstack/compose/postgres-init.sql"));
        assertThat(init).contains("CREATE ROLE " + StackConfig.PG_BI_USER + " LOGIN PASSWORD '" + StackConfig.PG_BI_PASSWORD + "'")
                .contains("ALTER DEFAULT PRIVILEGES FOR ROLE " + StackConfig.PG_USER + " IN SCHEMA public GRANT SELECT ON TABLES TO "
                        + StackConfig.PG_BI_USER);
        Map<?, ?> connectEnv = (Map<?, ?>) services.get("connect").get("environment");
        assertThat(connectEnv.get("TRIBUTARY_POSTGRES_URL")).isEqualTo("jdbc:postgresql://postgres:5432/" + StackConfig.PG_DATABASE);
        assertThat(connectEnv.get("TRIBUTARY_POSTGRES_USER")).isEqualTo(StackConfig.PG_USER);
        assertThat(connectEnv.get("TRIBUTARY_POSTGRES_PASSWORD")).isEqualTo(StackConfig.PG_PASSWORD);
        assertThat(((Map<?, ?>) services.get("connect").get("depends_on")).containsKey("postgres")).as("connect waits for postgres").isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void usesTheDevstackBucketCredentialsAndCdcSettings() throws IOException {
        assertThat(String.join(" ", (List<String>) services.get("minio-init").get("entrypoint")))
                .contains("local/" + StackConfig.DEFAULT_BUCKET)
                .contains(StackConfig.S3_ACCESS_KEY + " " + StackConfig.S3_SECRET_KEY);
        Map<?, ?> connectEnv = (Map<?, ?>) services.get("connect").get("environment");
        assertThat(connectEnv.get("AWS_ACCESS_KEY_ID")).isEqualTo(StackConfig.S3_ACCESS_KEY);
        assertThat(connectEnv.get("AWS_REGION")).isEqualTo(StackConfig.S3_REGION);
        assertThat(connectEnv.get("CONNECT_CONFIG_PROVIDERS")).isEqualTo("env,file");
        assertThat((List<String>) services.get("mysql").get("command")).contains(
                "--server-id=" + StackConfig.MARIADB_SERVER_ID, "--binlog-format=ROW", "--binlog-row-image=FULL");
        String users = Files.readString(REPO.resolve("devstack/compose/mysql-init.sql"));
        assertThat(users).contains("'" + StackConfig.DB_ADMIN_USER + "'@'%' IDENTIFIED BY '" + StackConfig.DB_ADMIN_PASSWORD + "'")
                .contains("'" + StackConfig.DB_CDC_USER + "'@'%' IDENTIFIED BY '" + StackConfig.DB_CDC_PASSWORD + "'");
    }

    @Test
    @SuppressWarnings("unchecked")
    void mountsOnlyFilesThatExistInTheRepository() {
        services.forEach((name, service) -> {
            for (String volume : (List<String>) service.getOrDefault("volumes", List.of())) {
                String source = volume.split(":")[0];
                if (source.startsWith("./")) {
                    Path path = REPO.resolve(source);
                    // The plugin dir is a build output: the s3-sink module's assembly creates it.
                    if (source.startsWith("./connectors/s3-sink/target/")) {
                        assertThat(read(REPO.resolve("connectors/s3-sink/src/main/assembly/plugin.xml")))
                                .contains("<baseDirectory>" + path.getFileName() + "</baseDirectory>");
                    } else {
                        assertThat(path).as(name + " mounts " + source).exists();
                    }
                }
            }
        });
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Integer> hostPorts(String service) {
        @SuppressWarnings("unchecked")
        List<String> ports = (List<String>) services.get(service).get("ports");
        return ports.stream().map(p -> Integer.parseInt(p.split(":")[0])).toList();
    }
}
