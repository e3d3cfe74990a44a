package io.tributary.dev.stack;

import io.tributary.cli.common.TributaryHome;
import io.tributary.devstack.StackConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the local stack lives and which ports it uses: flags, with environment variables as
 * defaults. The data dir defaults to {@code .tributary/} in the repository root.
 */
public final class StackOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:TRIBUTARY_DATA_DIR}",
            description = "Data dir of the local stack (env TRIBUTARY_DATA_DIR; default: <repo>/.tributary).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "${env:TRIBUTARY_KAFKA_PORT:-" + StackConfig.DEFAULT_KAFKA_PORT + "}",
            description = "Kafka broker port (env TRIBUTARY_KAFKA_PORT; default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--controller-port", defaultValue = "${env:TRIBUTARY_CONTROLLER_PORT:-" + StackConfig.DEFAULT_CONTROLLER_PORT + "}",
            description = "KRaft controller port (env TRIBUTARY_CONTROLLER_PORT; default ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--registry-port", defaultValue = "${env:TRIBUTARY_REGISTRY_PORT:-" + StackConfig.DEFAULT_REGISTRY_PORT + "}",
            description = "Schema registry port (env TRIBUTARY_REGISTRY_PORT; default ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--connect-port", defaultValue = "${env:TRIBUTARY_CONNECT_PORT:-" + StackConfig.DEFAULT_CONNECT_PORT + "}",
            description = "Kafka Connect REST port (env TRIBUTARY_CONNECT_PORT; default ${DEFAULT-VALUE}).")
    int connectPort;

    @Option(names = "--s3-port", defaultValue = "${env:TRIBUTARY_S3_PORT:-" + StackConfig.DEFAULT_S3_PORT + "}",
            description = "S3 server port (env TRIBUTARY_S3_PORT; default ${DEFAULT-VALUE}).")
    int s3Port;

    @Option(names = "--mariadb-port", defaultValue = "${env:TRIBUTARY_MARIADB_PORT:-" + StackConfig.DEFAULT_MARIADB_PORT + "}",
            description = "MariaDB port (env TRIBUTARY_MARIADB_PORT; default ${DEFAULT-VALUE}).")
    int mariadbPort;

    @Option(names = "--postgres-port", defaultValue = "${env:TRIBUTARY_POSTGRES_PORT:-" + StackConfig.DEFAULT_POSTGRES_PORT + "}",
            description = "PostgreSQL port (env TRIBUTARY_POSTGRES_PORT; default ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(names = "--connect-metrics-port", defaultValue = "${env:TRIBUTARY_CONNECT_METRICS_PORT:-"
            + StackConfig.DEFAULT_CONNECT_METRICS_PORT + "}",
            description = "Prometheus port of the Connect worker: sink and Debezium metrics (env TRIBUTARY_CONNECT_METRICS_PORT; "
                    + "default ${DEFAULT-VALUE}).")
    int connectMetricsPort;

    /** The data dir: the flag, else TRIBUTARY_DATA_DIR, else .tributary in the repo (set by ./tributary) or cwd. */
    public Path dataDir() {
        Path dir = dataDir != null ? dataDir : TributaryHome.dataDir();
        return dir.toAbsolutePath().normalize();
    }

    public StackConfig toConfig() {
        return StackConfig.defaults(dataDir())
                .withPorts(kafkaPort, controllerPort, registryPort, connectPort, s3Port, mariadbPort, postgresPort)
                .withConnectMetricsPort(connectMetricsPort)
                .withExtraPluginDirs(ConnectorPlugins.dirs());
    }
}
