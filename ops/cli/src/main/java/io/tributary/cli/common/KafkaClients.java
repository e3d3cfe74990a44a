package io.tributary.cli.common;

import io.tributary.streams.config.PipelineConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka clients of the CLI's commands that work beside the pipeline (replay, dashboards rebuild)
 * reach the cluster as the streams app does: its bootstrap servers and the security settings among
 * its {@code streams.*} keys. Consumers read committed data only and never join a group or commit
 * (they assign partitions and seek).
 */
public final class KafkaClients {
    /**
     * How long a consumer here waits for records that are not there: its {@code fetch.max.wait.ms},
     * and the timeout of its polls. These consumers read up to an offset known beforehand, never for
     * new records. The broker holds a fetch with nothing to return for fetch.max.wait.ms (500 ms by
     * default) and answers a connection's requests in order, so behind the consumer's last prefetch
     * every offset lookup at the next partition and every {@code close()} waited half a second: on a
     * replay, four to five times on its critical path, a tenth of its time (JFR, BENCHMARKS.md). A poll
     * that finds only transaction markers moves past them but, having no record to return, waits out
     * its whole timeout.
     */
    public static final Duration BOUNDED_WAIT = Duration.ofMillis(50);

    private static final java.util.List<String> CLIENT_PREFIXES = java.util.List.of("security.", "sasl.", "ssl.",
            "client.dns.lookup");

    private KafkaClients() {
    }

    public static Map<String, Object> properties(PipelineConfig config) {
        Map<String, Object> props = new HashMap<>();
        config.streamsProperties().forEach((k, v) -> {
            if (CLIENT_PREFIXES.stream().anyMatch(k::startsWith)) {
                props.put(k, v);
            }
        });
        props.put("bootstrap.servers", String.join(",", config.getList(PipelineConfig.BOOTSTRAP_SERVERS)));
        return props;
    }

    /** A consumer of committed records for a read up to known offsets; poll it with {@link #BOUNDED_WAIT}. */
    public static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> properties) {
        return new KafkaConsumer<>(consumerProperties(properties), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static Map<String, Object> consumerProperties(Map<String, Object> properties) {
        Map<String, Object> props = new HashMap<>(properties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) BOUNDED_WAIT.toMillis());
        return props;
    }

    public static Admin admin(Map<String, Object> properties) {
        return Admin.create(properties);
    }
}
