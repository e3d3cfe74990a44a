package io.tributary.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * compose.yaml cannot run here (no Docker engine), so this keeps it honest: the services exist,
 * images are pinned, host ports, bucket and users equal the devstack defaults, the Connect image gets
 * only the variable names its entrypoint reads, MySQL's server id differs from every connector's,
 * and every file it mounts from the repository exists or is a distribution the build makes.
 */
class ComposeFileTest {
    private static final Path REPO = Path.of(System.getProperty("tributary.home", "../..")).toAbsolutePath().normalize();
    private static final Pattern SERVER_ID = Pattern.compile("\"database\\.server\\.id\"\\s*:\\s*\"(\\d+)\"");
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
        assertThat(services).containsOnlyKeys("kafka", "schema-registry", "connect", "mysql", "postgres", "s3", "s3-init",
                "streams-app", "prometheus", "compactor");
    }

    /** The compactor runs `tributary compact` as a service against the compose S3 server and bucket, with the S3 server's keys. */
    @Test
    @SuppressWarnings("unchecked")
    void runsTheCompactorContinuouslyAgainstTheLakeBucket() {
        Map<String, Object> compactor = services.get("compactor");
        List<String> command = (List<String>) compactor.get("command");
        assertThat(command.get(0)).isEqualTo("/opt/tributary-cli/bin/tributary");
        assertThat(command.subList(1, command.size())).containsExactly("compact", "--every", "1m");
        assertThat((List<String>) compactor.get("volumes")).contains("./ops/cli/target/dist/tributary-cli:/opt/tributary-cli:ro");
        assertThat(compactor.get("restart")).isEqualTo("on-failure");
        Map<?, ?> env = (Map<?, ?>) compactor.get("environment");
        Map<?, ?> connectEnv = (Map<?, ?>) services.get("connect").get("environment");
        // The same bucket, endpoint and keys the sink writes with (the variables the CLI reads as the connector configs do).
        for (String name : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "TRIBUTARY_S3_ENDPOINT", "TRIBUTARY_LAKE_BUCKET")) {
            assertThat(env.get(name)).as(name).isEqualTo(connectEnv.get(name));
        }
        assertThat(env.get("TRIBUTARY_LAKE_BUCKET")).isEqualTo(StackConfig.DEFAULT_BUCKET);
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
        assertThat(hostPorts("s3")).contains(StackConfig.DEFAULT_S3_PORT);
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
        assertThat(String.join(" ", (List<String>) services.get("s3-init").get("entrypoint")))
                .endsWith("mkdir -p /data/" + StackConfig.DEFAULT_BUCKET);
        Map<?, ?> s3Env = (Map<?, ?>) services.get("s3").get("environment");
        assertThat(s3Env.get("S3PROXY_IDENTITY")).isEqualTo(StackConfig.S3_ACCESS_KEY);
        assertThat(s3Env.get("S3PROXY_CREDENTIAL")).isEqualTo(StackConfig.S3_SECRET_KEY);
        assertThat(s3Env.get("JCLOUDS_FILESYSTEM_BASEDIR")).isEqualTo("/data");
        Map<?, ?> connectEnv = (Map<?, ?>) services.get("connect").get("environment");
        assertThat(connectEnv.get("AWS_ACCESS_KEY_ID")).isEqualTo(StackConfig.S3_ACCESS_KEY);
        assertThat(connectEnv.get("AWS_REGION")).isEqualTo(StackConfig.S3_REGION);
        assertThat(connectEnv.get("CONNECT_CONFIG_PROVIDERS")).isEqualTo("env,file");
        assertThat((List<String>) services.get("mysql").get("command")).contains("--binlog-format=ROW", "--binlog-row-image=FULL");
        String users = Files.readString(REPO.resolve("devstack/compose/mysql-init.sql"));
        assertThat(users).contains("'" + StackConfig.DB_ADMIN_USER + "'@'%' IDENTIFIED BY '" + StackConfig.DB_ADMIN_PASSWORD + "'")
                .contains("'" + StackConfig.DB_CDC_USER + "'@'%' IDENTIFIED BY '" + StackConfig.DB_CDC_PASSWORD + "'");
    }

    /** A Debezium connector is a replica: its server id must differ from the server's. */
    @Test
    @SuppressWarnings("unchecked")
    void mysqlServerIdDiffersFromEveryConnectorsServerId() throws IOException {
        String serverId = ((List<String>) services.get("mysql").get("command")).stream().filter(a -> a.startsWith("--server-id="))
                .findFirst().orElseThrow().substring("--server-id=".length());
        List<String> connectorIds = new java.util.ArrayList<>();
        try (var files = Files.list(REPO.resolve("connectors/config"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                Matcher m = SERVER_ID.matcher(Files.readString(file));
                while (m.find()) {
                    connectorIds.add(m.group(1));
                }
            }
        }
        assertThat(connectorIds).isNotEmpty().doesNotContain(serverId);
    }

    /**
     * The debezium/connect entrypoint maps only these plain names (and exports OFFSET_FLUSH_INTERVAL_MS over
     * CONNECT_OFFSET_FLUSH_INTERVAL_MS); every other worker setting needs the CONNECT_ prefix. The rest of the
     * environment is what the worker's AWS SDK and the connector configs' ${env:...} read.
     */
    @Test
    @SuppressWarnings("unchecked")
    void connectEnvironmentUsesOnlyNamesTheImageReads() {
        Set<String> plain = Set.of("BOOTSTRAP_SERVERS", "GROUP_ID", "CONFIG_STORAGE_TOPIC", "OFFSET_STORAGE_TOPIC",
                "STATUS_STORAGE_TOPIC", "KEY_CONVERTER", "VALUE_CONVERTER", "OFFSET_FLUSH_INTERVAL_MS");
        Map<String, Object> env = (Map<String, Object>) services.get("connect").get("environment");
        for (String name : env.keySet()) {
            assertThat(plain.contains(name) || name.startsWith("CONNECT_") || name.startsWith("TRIBUTARY_") || name.startsWith("AWS_"))
                    .as("%s is a name the Connect image or a connector config reads", name).isTrue();
        }
        assertThat(env).doesNotContainKey("CONNECT_OFFSET_FLUSH_INTERVAL_MS")
                .containsKeys("CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR", "CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR",
                        "CONNECT_STATUS_STORAGE_REPLICATION_FACTOR");
    }

    @Test
    void everyLongRunningServiceHasAHealthcheck() {
        for (String service : List.of("kafka", "mysql", "connect", "streams-app", "prometheus")) {
            assertThat(services.get(service)).as(service).containsKey("healthcheck");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void mountsOnlyFilesThatExistInTheRepository() {
        services.forEach((name, service) -> {
            for (String volume : (List<String>) service.getOrDefault("volumes", List.of())) {
                String source = volume.split(":")[0];
                if (source.startsWith("./")) {
                    Path path = REPO.resolve(source);
                    // A distribution is a build output: the module's dist-dir assembly creates it.
                    int target = source.indexOf("/target/");
                    if (target > 0) {
                        assertThat(read(REPO.resolve(source.substring(2, target)).resolve("src/main/assembly/dist-dir.xml")))
                                .as(name + " mounts " + source).contains("<baseDirectory>" + path.getFileName() + "</baseDirectory>");
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
