package io.tributary.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the local stack keeps its data and which localhost ports it listens on. The defaults sit
 * in the 1xxxx range so they do not clash with a Kafka, registry, Connect, MySQL, PostgreSQL or
 * MinIO already running on its usual port. Credentials here are fixed, local-only values for servers bound to
 * 127.0.0.1; nothing in production reads them.
 */
public record StackConfig(
        Path dataDir,
        int kafkaPort,
        int controllerPort,
        int registryPort,
        int connectPort,
        int s3Port,
        int mariadbPort,
        int postgresPort,
        int connectMetricsPort,
        String bucket,
        List<Path> extraPluginDirs,
        Duration startTimeout) {

    public static final String HOST = "127.0.0.1";
    public static final int DEFAULT_KAFKA_PORT = 19092;
    public static final int DEFAULT_CONTROLLER_PORT = 19093;
    public static final int DEFAULT_REGISTRY_PORT = 18081;
    public static final int DEFAULT_CONNECT_PORT = 18083;
    public static final int DEFAULT_S3_PORT = 19000;
    public static final int DEFAULT_MARIADB_PORT = 13306;
    public static final int DEFAULT_POSTGRES_PORT = 15432;
    /** The Connect worker's Prometheus endpoint (the JMX exporter agent): the sink's and Debezium's metrics. */
    public static final int DEFAULT_CONNECT_METRICS_PORT = 18084;
    public static final String DEFAULT_BUCKET = "tributary-lake";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);

    public static final String S3_ACCESS_KEY = "tributary";
    public static final String S3_SECRET_KEY = "tributary-local-only";
    public static final String S3_REGION = "us-east-1";
    /** Admin user for the demo and tests: creates databases and tables. */
    public static final String DB_ADMIN_USER = "tributary";
    public static final String DB_ADMIN_PASSWORD = "tributary-local-only";
    /** The user Debezium connects as, with only the grants it needs. */
    public static final String DB_CDC_USER = "debezium";
    public static final String DB_CDC_PASSWORD = "debezium-local-only";
    /** The server's own id; a Debezium connector is a replica, so its database.server.id (184054) must differ. */
    public static final int MARIADB_SERVER_ID = 1;
    /** The database the dashboard aggregates are upserted into, owned by the user the JDBC sink connects as. */
    public static final String PG_DATABASE = "dashboards";
    public static final String PG_USER = "tributary";
    public static final String PG_PASSWORD = "tributary-local-only";
    /** A read-only role for BI tools: SELECT on every table, also those the sink creates later. */
    public static final String PG_BI_USER = "tributary_bi";
    public static final String PG_BI_PASSWORD = "tributary-bi-local-only";

    public StackConfig {
        extraPluginDirs = List.copyOf(extraPluginDirs);
    }

    public static StackConfig defaults(Path dataDir) {
        return new StackConfig(dataDir.toAbsolutePath().normalize(), DEFAULT_KAFKA_PORT, DEFAULT_CONTROLLER_PORT,
                DEFAULT_REGISTRY_PORT, DEFAULT_CONNECT_PORT, DEFAULT_S3_PORT, DEFAULT_MARIADB_PORT, DEFAULT_POSTGRES_PORT,
                DEFAULT_CONNECT_METRICS_PORT, DEFAULT_BUCKET, List.of(), DEFAULT_START_TIMEOUT);
    }

    public StackConfig withPorts(int kafka, int controller, int registry, int connect, int s3, int mariadb, int postgres) {
        return new StackConfig(dataDir, kafka, controller, registry, connect, s3, mariadb, postgres, connectMetricsPort, bucket,
                extraPluginDirs, startTimeout);
    }

    public StackConfig withConnectMetricsPort(int port) {
        return new StackConfig(dataDir, kafkaPort, controllerPort, registryPort, connectPort, s3Port, mariadbPort, postgresPort,
                port, bucket, extraPluginDirs, startTimeout);
    }

    public StackConfig withDataDir(Path dir) {
        return new StackConfig(dir.toAbsolutePath().normalize(), kafkaPort, controllerPort, registryPort, connectPort, s3Port,
                mariadbPort, postgresPort, connectMetricsPort, bucket, extraPluginDirs, startTimeout);
    }

    public StackConfig withExtraPluginDirs(List<Path> dirs) {
        return new StackConfig(dataDir, kafkaPort, controllerPort, registryPort, connectPort, s3Port, mariadbPort,
                postgresPort, connectMetricsPort, bucket, dirs, startTimeout);
    }

    public String bootstrapServers() {
        return HOST + ":" + kafkaPort;
    }

    public String registryUrl() {
        return "http://" + HOST + ":" + registryPort;
    }

    public String connectUrl() {
        return "http://" + HOST + ":" + connectPort;
    }

    /** The Connect worker's Prometheus metrics (sink and Debezium), served by the JMX exporter agent. */
    public String connectMetricsUrl() {
        return "http://" + HOST + ":" + connectMetricsPort + "/metrics";
    }

    public String s3Endpoint() {
        return "http://" + HOST + ":" + s3Port;
    }

    /** JDBC URL of the MariaDB server without a database; append one with {@link #jdbcUrl(String)}. */
    public String jdbcUrl() {
        return jdbcUrl("");
    }

    public String jdbcUrl(String database) {
        return "jdbc:mariadb://" + HOST + ":" + mariadbPort + "/" + database;
    }

    /** JDBC URL of the dashboards database on the PostgreSQL server. */
    public String postgresUrl() {
        return "jdbc:postgresql://" + HOST + ":" + postgresPort + "/" + PG_DATABASE;
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }

    public Path confDir() {
        return dataDir.resolve("conf");
    }

    /** The endpoints a user or client needs, in the order `tributary up` prints them. */
    public Map<String, String> endpoints() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("Kafka bootstrap servers", bootstrapServers());
        out.put("Schema registry URL", registryUrl());
        out.put("Kafka Connect REST URL", connectUrl());
        out.put("Kafka Connect metrics URL", connectMetricsUrl());
        out.put("S3 endpoint (path-style)", s3Endpoint() + "  bucket=" + bucket + "  region=" + S3_REGION
                + "  access key=" + S3_ACCESS_KEY);
        out.put("MariaDB JDBC URL", jdbcUrl() + "  user=" + DB_ADMIN_USER + "  (CDC user: " + DB_CDC_USER + ")");
        out.put("PostgreSQL JDBC URL", postgresUrl() + "  user=" + PG_USER + "  (read-only BI user: " + PG_BI_USER + ")");
        return out;
    }
}
