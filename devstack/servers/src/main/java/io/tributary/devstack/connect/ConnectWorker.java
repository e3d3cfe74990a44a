package io.tributary.devstack.connect;

import static io.tributary.devstack.Errors.rootMessage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.devstack.Health;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.StackException;
import io.tributary.devstack.kafka.KafkaBroker;
import io.tributary.devstack.process.DevStackBuild;
import io.tributary.devstack.process.JavaProcess;
import io.tributary.devstack.process.ProcessComponent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Kafka Connect worker in distributed mode (Kafka's own {@code ConnectDistributed}). Its plugin
 * path holds the Debezium MySQL and MariaDB connectors and Debezium's JDBC sink (the dashboard
 * aggregates to PostgreSQL), plus any extra plugin dirs (this project's sink). Secrets reach connector configs through the env and file config providers; the local S3
 * credentials are in the worker's environment, where the AWS default credential chain finds them.
 * Prometheus' JMX exporter runs as its agent and serves {@link StackConfig#connectMetricsUrl()}.
 */
public final class ConnectWorker extends ProcessComponent {
    public static final String NAME = "connect";
    public static final List<String> DEBEZIUM_CONNECTORS = List.of(
            "io.debezium.connector.mysql.MySqlConnector", "io.debezium.connector.mariadb.MariaDbConnector");
    public static final String JDBC_SINK = "io.debezium.connector.jdbc.JdbcSinkConnector";
    /** The stack's Connect cluster: its group id, and the prefix of its config, offset and status topics. */
    public static final String GROUP = "tributary-connect";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    public ConnectWorker(StackConfig config, DevStackBuild build) {
        super(NAME, List.of(KafkaBroker.NAME), config, build);
    }

    @Override
    public Map<String, Integer> ports() {
        return Map.of("Connect REST", config.connectPort(), "Connect metrics", config.connectMetricsPort());
    }

    @Override
    public void preflight() {
        pluginPath();
        build.jmxExporterAgent();
        build.jmxExporterConnectRules();
        for (Path dir : config.extraPluginDirs()) {
            if (!Files.isDirectory(dir)) {
                throw new StackException("Connect plugin dir " + dir + " does not exist; build the module that "
                        + "provides it (`mvn -B -DskipTests package`).");
            }
        }
    }

    private String pluginPath() {
        return pluginPath(config, build);
    }

    private static String pluginPath(StackConfig config, DevStackBuild build) {
        List<String> dirs = new ArrayList<>();
        dirs.add(build.debeziumPluginsDir().toString());
        config.extraPluginDirs().forEach(d -> dirs.add(d.toAbsolutePath().toString()));
        return String.join(",", dirs);
    }

    @Override
    protected JavaProcess launch() {
        Path props = config.confDir().resolve("connect-distributed.properties");
        writeProperties(props, config, build, GROUP, config.connectPort());
        // Prometheus' JMX exporter serves the sink's plugin metrics, Debezium's and the worker's on
        // connectMetricsPort, as ops/monitoring/jmx-exporter/README.md sets it up in production.
        String exporter = "-javaagent:" + build.jmxExporterAgent() + "=" + StackConfig.HOST + ":" + config.connectMetricsPort()
                + ":" + build.jmxExporterConnectRules();
        return startJava(List.of("-Xms256m", "-Xmx1g", "-Xlog:gc:file=" + gcLog() + ":time", exporter),
                "org.apache.kafka.connect.cli.ConnectDistributed", List.of(props.toString()), environment(config));
    }

    /**
     * Writes the properties of a distributed worker of the Connect cluster {@code group} (its config,
     * offset and status topics are named after the group) with its REST API on {@code restPort}: the
     * stack's worker, or the workers of a cluster of its own a benchmark starts beside it.
     */
    public static void writeProperties(Path file, StackConfig config, DevStackBuild build, String group, int restPort) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n",
                    "bootstrap.servers=" + config.bootstrapServers(),
                    "group.id=" + group,
                    "key.converter=org.apache.kafka.connect.json.JsonConverter",
                    "value.converter=org.apache.kafka.connect.json.JsonConverter",
                    "config.storage.topic=_" + group + "-configs",
                    "offset.storage.topic=_" + group + "-offsets",
                    "status.storage.topic=_" + group + "-status",
                    "config.storage.replication.factor=1",
                    "offset.storage.replication.factor=1",
                    "status.storage.replication.factor=1",
                    // Sink offsets are committed (through preCommit) this often.
                    "offset.flush.interval.ms=5000",
                    "listeners=http://" + StackConfig.HOST + ":" + restPort,
                    "rest.advertised.host.name=" + StackConfig.HOST,
                    "rest.advertised.port=" + restPort,
                    "plugin.path=" + pluginPath(config, build),
                    // Every plugin here has ServiceLoader manifests; the reflection scan Kafka also runs by
                    // default took 40-60 s of each worker start on 2 busy cores.
                    "plugin.discovery=service_load",
                    "config.providers=env,file",
                    "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider",
                    "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
                    ""));
        } catch (IOException e) {
            throw new StackException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The worker's environment: the local S3 credentials for the AWS default chain, and the
     * variables connector configs read through {@code ${env:...}} (compose.yaml sets the same names).
     */
    public static Map<String, String> environment(StackConfig config) {
        return Map.ofEntries(
                Map.entry("AWS_ACCESS_KEY_ID", StackConfig.S3_ACCESS_KEY),
                Map.entry("AWS_SECRET_ACCESS_KEY", StackConfig.S3_SECRET_KEY),
                Map.entry("AWS_REGION", StackConfig.S3_REGION),
                Map.entry("TRIBUTARY_KAFKA_BOOTSTRAP", config.bootstrapServers()),
                // The Kafka client security of Debezium's schema history producer and consumer (a connector's
                // own clients do not inherit the worker's): the local broker is plaintext.
                Map.entry("TRIBUTARY_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"),
                Map.entry("TRIBUTARY_KAFKA_SASL_MECHANISM", "PLAIN"),
                Map.entry("TRIBUTARY_KAFKA_SASL_JAAS_CONFIG", ""),
                Map.entry("TRIBUTARY_REGISTRY_URL", config.registryUrl()),
                Map.entry("TRIBUTARY_S3_ENDPOINT", config.s3Endpoint()),
                Map.entry("TRIBUTARY_S3_PATH_STYLE", "true"),
                Map.entry("TRIBUTARY_LAKE_BUCKET", config.bucket()),
                Map.entry("TRIBUTARY_CDC_DB_HOST", StackConfig.HOST),
                Map.entry("TRIBUTARY_CDC_DB_PORT", String.valueOf(config.mariadbPort())),
                Map.entry("TRIBUTARY_CDC_DB_PASSWORD", StackConfig.DB_CDC_PASSWORD),
                Map.entry("TRIBUTARY_POSTGRES_URL", config.postgresUrl()),
                Map.entry("TRIBUTARY_POSTGRES_USER", StackConfig.PG_USER),
                Map.entry("TRIBUTARY_POSTGRES_PASSWORD", StackConfig.PG_PASSWORD));
    }

    /** Fails start-up when the worker runs but did not load a Debezium connector from the plugin path. */
    @Override
    protected void afterReady() {
        List<String> missing = new ArrayList<>(DEBEZIUM_CONNECTORS);
        missing.add(JDBC_SINK);
        missing.removeAll(connectorPlugins());
        if (!missing.isEmpty()) {
            throw new StackException("The Connect worker did not load " + missing + " from plugin.path "
                    + pluginPath() + "; see " + logFile());
        }
    }

    /** The worker's GC log (one line per collection, with heap before and after): where sink memory is measured. */
    public Path gcLog() {
        return config.logDir().resolve(NAME + "-gc.log");
    }

    /** Connector classes the worker offers, from {@code GET /connector-plugins}. */
    public List<String> connectorPlugins() {
        HttpResponse<String> response = get("/connector-plugins");
        List<String> classes = new ArrayList<>();
        try {
            JSON.readTree(response.body()).forEach(plugin -> classes.add(plugin.path("class").asText()));
        } catch (IOException e) {
            throw new StackException("The Connect worker answered GET /connector-plugins with " + response.body(), e);
        }
        return classes;
    }

    @Override
    public Health health() {
        try {
            HttpResponse<String> health = get("/health");
            if (health.statusCode() != 200) {
                return Health.down("worker not ready: HTTP " + health.statusCode() + " " + health.body());
            }
            return Health.up("worker at " + config.connectUrl() + " is ready");
        } catch (RuntimeException e) {
            return Health.down("cannot reach " + config.connectUrl() + ": " + rootMessage(e));
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(config.connectUrl() + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StackException("Connect REST call GET " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted", e);
        }
    }
}
