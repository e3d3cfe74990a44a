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
                "setup-db", "setup", "streams-app", "dashboard-tls", "dashboard", "prometheus", "grafana", "compactor");
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
        assertThat(hostPorts("connect")).contains(StackConfig.DEFAULT_CONNECT_PORT, StackConfig.DEFAULT_CONNECT_METRICS_PORT);
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

    /**
     * The dashboard runs from its distribution with the shipped dashboard.properties, on the port that file
     * names; it listens beyond its container only over TLS (the service refuses otherwise), with the keystore
     * dashboard-tls makes; no password hash is written here, only taken from the user's environment.
     */
    @Test
    @SuppressWarnings("unchecked")
    void dashboardServesOverTlsFromItsDistributionWithoutAStoredPassword() throws IOException {
        Map<String, Object> dashboard = services.get("dashboard");
        Map<?, ?> env = (Map<?, ?>) dashboard.get("environment");
        java.util.Properties shipped = new java.util.Properties();
        try (Reader r = Files.newBufferedReader(REPO.resolve("ops/dashboard/config/dashboard.properties"))) {
            shipped.load(r);
        }
        assertThat((List<String>) dashboard.get("command")).containsExactly("/opt/tributary-dashboard/bin/tributary-dashboard",
                "/opt/tributary-dashboard/config/dashboard.properties");
        assertThat(hostPorts("dashboard")).containsExactly(Integer.parseInt(shipped.getProperty("dashboard.port")));
        assertThat((List<String>) dashboard.get("ports")).containsExactly(shipped.getProperty("dashboard.port") + ":"
                + shipped.getProperty("dashboard.port"));
        assertThat(env.get("TRIBUTARY_BOOTSTRAP_SERVERS")).isEqualTo("kafka:29092");
        assertThat(env.get("TRIBUTARY_DASHBOARD_HOST")).isEqualTo("0.0.0.0");
        String keystore = (String) env.get("TRIBUTARY_DASHBOARD_TLS_KEYSTORE_PATH");
        Map<?, ?> tls = services.get("dashboard-tls");
        assertThat(String.join(" ", (List<String>) tls.get("entrypoint"))).contains("-keystore " + keystore, "-storetype PKCS12");
        assertThat(env.get("TRIBUTARY_DASHBOARD_TLS_KEYSTORE_PASSWORD"))
                .isEqualTo(((Map<?, ?>) tls.get("environment")).get("TRIBUTARY_DASHBOARD_TLS_KEYSTORE_PASSWORD"));
        assertThat(((Map<?, ?>) dashboard.get("depends_on")).containsKey("dashboard-tls")).isTrue();
        for (String user : shipped.getProperty("dashboard.users").split(",")) {
            String name = "TRIBUTARY_DASHBOARD_USER_" + user.trim().toUpperCase(java.util.Locale.ROOT) + "_PASSWORD_HASH";
            assertThat(env.get(name)).as(name).isEqualTo("${" + name + ":-}");
        }
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
                "STATUS_STORAGE_TOPIC", "KEY_CONVERTER", "VALUE_CONVERTER", "OFFSET_FLUSH_INTERVAL_MS",
                "KAFKA_OPTS"); // KAFKA_OPTS: JVM options of Kafka's start scripts, which the entrypoint runs
        Map<String, Object> env = (Map<String, Object>) services.get("connect").get("environment");
        for (String name : env.keySet()) {
            assertThat(plain.contains(name) || name.startsWith("CONNECT_") || name.startsWith("TRIBUTARY_") || name.startsWith("AWS_"))
                    .as("%s is a name the Connect image or a connector config reads", name).isTrue();
        }
        assertThat(env).doesNotContainKey("CONNECT_OFFSET_FLUSH_INTERVAL_MS")
                .containsKeys("CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR", "CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR",
                        "CONNECT_STATUS_STORAGE_REPLICATION_FACTOR");
    }

    /**
     * The worker runs Prometheus' JMX exporter with the kit's rules, on the port Prometheus scrapes and
     * compose publishes as the devstack's Connect metrics port; the agent jar is the one the devstack build copies.
     */
    @Test
    @SuppressWarnings("unchecked")
    void connectExportsItsMetricsWhereThePrometheusKitScrapesThem() throws IOException {
        String opts = (String) ((Map<String, Object>) services.get("connect").get("environment")).get("KAFKA_OPTS");
        Matcher agent = Pattern.compile("-javaagent:(\\S+)=(\\d+):(\\S+)").matcher(opts);
        assertThat(agent.find()).as(opts).isTrue();
        List<String> volumes = (List<String>) services.get("connect").get("volumes");
        assertThat(volumes).contains("./devstack/servers/target/jmx-exporter/jmx_prometheus_javaagent.jar:" + agent.group(1) + ":ro");
        assertThat(agent.group(3)).endsWith("/connect.yaml");
        assertThat(volumes).contains("./ops/monitoring/jmx-exporter:" + agent.group(3).replace("/connect.yaml", "") + ":ro");
        assertThat((List<String>) services.get("connect").get("ports"))
                .contains(StackConfig.DEFAULT_CONNECT_METRICS_PORT + ":" + agent.group(2));
        assertThat(read(REPO.resolve("ops/monitoring/prometheus.yml"))).contains("targets: [\"connect:" + agent.group(2) + "\"]");
        assertThat(read(REPO.resolve("devstack/servers/pom.xml")))
                .contains("<artifactId>jmx_prometheus_javaagent</artifactId><version>${jmx-exporter.version}</version>"
                        + "<destFileName>jmx_prometheus_javaagent.jar</destFileName>");
    }

    /**
     * The one-shot setup runs once the servers are healthy: setup-db creates the shop database from the
     * demo's schema file as the admin user; setup creates the source topics the streams app's shipped config
     * names and deploys the production connector configs against the compose worker.
     */
    @Test
    @SuppressWarnings("unchecked")
    void oneShotSetupCreatesTheDatabaseTopicsAndConnectors() throws IOException {
        Map<String, Object> db = services.get("setup-db");
        assertThat(dependsOn("setup-db")).containsEntry("mysql", Map.of("condition", "service_healthy"));
        assertThat((List<String>) db.get("volumes")).containsExactly("./devstack/compose/shop.sql:/setup/shop.sql:ro");
        assertThat(String.join(" ", (List<String>) db.get("entrypoint")))
                .contains("-h mysql -u " + StackConfig.DB_ADMIN_USER + " -p" + StackConfig.DB_ADMIN_PASSWORD + " < /setup/shop.sql");
        assertThat(read(REPO.resolve("devstack/compose/shop.sql")))
                .contains("CREATE DATABASE IF NOT EXISTS shop", "CREATE TABLE IF NOT EXISTS shop.masters",
                        "CREATE TABLE IF NOT EXISTS shop.transactions", "CREATE TABLE IF NOT EXISTS shop.debezium_signal",
                        "GRANT INSERT ON shop.debezium_signal TO '" + StackConfig.DB_CDC_USER + "'@'%'");

        assertThat(dependsOn("setup")).containsEntry("kafka", Map.of("condition", "service_healthy"))
                .containsEntry("connect", Map.of("condition", "service_healthy"))
                .containsEntry("setup-db", Map.of("condition", "service_completed_successfully"));
        Map<String, Object> env = (Map<String, Object>) services.get("setup").get("environment");
        assertThat(env).containsEntry("TRIBUTARY_CONNECT_URL", "http://connect:8083").containsEntry("TRIBUTARY_KAFKA_BOOTSTRAP",
                ((Map<String, Object>) services.get("connect").get("environment")).get("BOOTSTRAP_SERVERS"));
        assertThat((List<String>) services.get("setup").get("entrypoint")).containsExactly("/bin/bash", "/setup/setup.sh");
        assertThat((List<String>) services.get("setup").get("volumes")).contains("./devstack/compose/setup.sh:/setup/setup.sh:ro",
                "./ops/cli/target/dist/tributary-cli:/opt/tributary-cli:ro");
        String script = read(REPO.resolve("devstack/compose/setup.sh"));
        assertThat(script).contains("sed -n 's/^events\\.topic=//p'", "sed -n 's/^cdc\\.topics=//p'",
                        "kafka-topics.sh --bootstrap-server \"$TRIBUTARY_KAFKA_BOOTSTRAP\" --create --if-not-exists")
                .endsWith("exec /opt/tributary-cli/bin/tributary connectors apply --environment production\n");
        assertThat(read(REPO.resolve("streams-app/config/pipeline.properties"))).contains("\nevents.topic=", "\ncdc.topics=");
    }

    /**
     * Grafana cannot run here, so its provisioning is checked as Grafana reads it: the default data source
     * is compose's Prometheus, and the dashboard provider's path is where the kit's dashboard is mounted.
     */
    @Test
    @SuppressWarnings("unchecked")
    void grafanaProvisionsThePrometheusDataSourceAndTheKitsDashboard() throws IOException {
        assertThat(dependsOn("grafana")).containsEntry("prometheus", Map.of("condition", "service_healthy"));
        List<String> volumes = (List<String>) services.get("grafana").get("volumes");
        assertThat(volumes).contains("./ops/monitoring/grafana/provisioning:/etc/grafana/provisioning:ro");
        String dashboards = volumes.stream().filter(v -> v.startsWith("./ops/monitoring/grafana:")).findFirst().orElseThrow()
                .split(":")[1];
        Map<String, Object> datasources = yaml("ops/monitoring/grafana/provisioning/datasources/prometheus.yml");
        Map<String, Object> prometheus = ((List<Map<String, Object>>) datasources.get("datasources")).get(0);
        int prometheusPort = Integer.parseInt(((List<String>) services.get("prometheus").get("ports")).get(0).split(":")[1]);
        assertThat(prometheus).containsEntry("type", "prometheus").containsEntry("isDefault", true)
                .containsEntry("url", "http://prometheus:" + prometheusPort);
        Map<String, Object> providers = yaml("ops/monitoring/grafana/provisioning/dashboards/tributary.yml");
        Map<String, Object> provider = ((List<Map<String, Object>>) providers.get("providers")).get(0);
        assertThat(provider).containsEntry("type", "file");
        assertThat(((Map<String, Object>) provider.get("options")).get("path")).isEqualTo(dashboards);
        assertThat(REPO.resolve("ops/monitoring/grafana/tributary.json")).exists();
        assertThat(read(REPO.resolve("ops/monitoring/grafana/tributary.json"))).contains("\"uid\": \"${datasource}\"");
    }

    private static Map<String, Object> yaml(String file) throws IOException {
        try (Reader r = Files.newBufferedReader(REPO.resolve(file))) {
            return new Yaml().load(r);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dependsOn(String service) {
        return (Map<String, Object>) services.get(service).get("depends_on");
    }

    @Test
    void everyLongRunningServiceHasAHealthcheck() {
        for (String service : List.of("kafka", "mysql", "connect", "streams-app", "dashboard", "prometheus", "grafana")) {
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
                    if (source.endsWith("/target/jmx-exporter/jmx_prometheus_javaagent.jar")) {
                        continue; // copied by the devstack build: connectExportsItsMetricsWhereThePrometheusKitScrapesThem
                    }
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
