package io.tributary.cli.common;

import io.tributary.streams.config.PipelineConfig;
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

    public static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> properties) {
        Map<String, Object> props = new HashMap<>(properties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public static Admin admin(Map<String, Object> properties) {
        return Admin.create(properties);
    }
}
