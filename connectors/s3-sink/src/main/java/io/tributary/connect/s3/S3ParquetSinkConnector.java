package io.tributary.connect.s3;

import io.tributary.connect.s3.config.S3SinkConfig;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Writes Avro lake topics to S3 as Parquet, in hourly event-time partitions
 * ({@code <table>/dt=YYYY-MM-DD/hour=HH/}), exactly once. Each task writes the partitions Connect
 * assigns it; all tasks get the same configuration.
 */
public final class S3ParquetSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new S3SinkConfig(props); // fail fast, naming the key
        List<S3SinkConfig.Problem> problems = S3SinkConfig.connectorProblems(props);
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems.stream().map(S3SinkConfig.Problem::message).toList()));
        }
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return S3ParquetSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return S3SinkConfig.CONFIG_DEF;
    }

    /** Per-key validation by the ConfigDef, plus the cross-field rules attached to the key they concern. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        boolean keysValid = result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (keysValid) {
            for (S3SinkConfig.Problem problem : S3SinkConfig.connectorProblems(connectorConfigs)) {
                result.configValues().stream().filter(v -> v.name().equals(problem.key())).findFirst()
                        .ifPresent(v -> v.addErrorMessage(problem.message()));
            }
        }
        return result;
    }

    @Override
    public String version() {
        return Version.get();
    }
}
