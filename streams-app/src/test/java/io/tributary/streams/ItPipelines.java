package io.tributary.streams;

import io.tributary.streams.config.PipelineConfig;
import io.tributary.testing.DevStack;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The pipeline configuration and the verifying consumers of the integration tests that run the app on the dev stack. */
final class ItPipelines {
    private ItPipelines() {
    }

    /**
     * A pipeline of its own on the stack: topics and application id under {@code prefix}, the events
     * and masters topics given, the source_type lookup, its state in {@code stateDir}, and {@code overrides} on top.
     */
    static PipelineConfig config(DevStack stack, String prefix, String eventsTopic, String mastersTopic, Path stateDir,
            Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>(Map.of(
                PipelineConfig.APPLICATION_ID, prefix,
                PipelineConfig.BOOTSTRAP_SERVERS, stack.config().bootstrapServers(),
                PipelineConfig.SCHEMA_REGISTRY_URL, stack.config().registryUrl(),
                PipelineConfig.EVENTS_TOPIC, eventsTopic,
                PipelineConfig.CDC_TOPICS, mastersTopic,
                PipelineConfig.LAKE_TOPIC_PREFIX, prefix + ".lake.",
                PipelineConfig.DLQ_TOPIC, prefix + ".dlq",
                PipelineConfig.LOOKUPS, "source_type",
                PipelineConfig.STATE_DIR, stateDir.toString(),
                PipelineConfig.METRICS_PORT, "0"));
        props.putAll(Map.of(
                "enrichment.source_type.event.field", "source_type_id",
                "enrichment.source_type.table", "masters",
                "enrichment.source_type.key.column", "id",
                "enrichment.source_type.columns", "display_name:source_type_name,category:source_type_category",
                PipelineConfig.COMMIT_INTERVAL_MS, "200"));
        props.putAll(overrides);
        return new PipelineConfig(props);
    }

    /** A read_committed consumer from the start, in a group of its own. */
    static <V> KafkaConsumer<String, V> consumer(DevStack stack, Deserializer<V> values) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", stack.config().bootstrapServers(),
                "group.id", DevStack.uniqueName("verify"), "auto.offset.reset", "earliest",
                "isolation.level", "read_committed", "max.poll.records", 5000, "max.partition.fetch.bytes", 4_000_000),
                new StringDeserializer(), values);
    }
}
