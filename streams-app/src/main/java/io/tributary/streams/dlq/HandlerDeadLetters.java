package io.tributary.streams.dlq;

import io.tributary.streams.config.LakeTopics;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.metrics.InputReaders;
import io.tributary.streams.metrics.PipelineMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * The dead-letter path of failures that Kafka Streams' exception handlers see: the same dead-letter
 * record (original bytes, {@code tributary.dlq.*} headers) and dead_letters row as the topology's
 * own dead letters, counted the same way, so {@code in = out + dead_lettered} holds whichever way a
 * record failed. One instance per app instance; Kafka Streams hands it to the handlers it creates
 * through their configuration ({@link #streamsProperties}).
 */
public final class HandlerDeadLetters {
    /** Key under which the instance travels in the Kafka Streams configuration to the handlers. */
    static final String CONFIG_KEY = "tributary.handler.dead.letters";
    private final LakeTopics topics;
    private final PipelineMetrics metrics;
    private final RefusedRows refused;
    private final TopicLimits topicLimits;
    private final int maxOriginalBytes;
    private final Map<String, String> tableBySource = new HashMap<>();

    public HandlerDeadLetters(PipelineConfig config, PipelineMetrics metrics, RefusedRows refused) {
        this.topics = LakeTopics.of(config);
        this.metrics = metrics;
        this.refused = refused;
        this.topicLimits = new TopicLimits(config.adminConfigs(config.getString(PipelineConfig.APPLICATION_ID) + "-topic-limits"));
        this.maxOriginalBytes = config.dlqMaxOriginalBytes();
        tableBySource.put(topics.events(), topics.eventsTable());
        topics.cdcTopicsByTable().forEach((table, topic) -> tableBySource.put(topic, table));
    }

    /**
     * The Kafka Streams settings that wire both apps' processing and production exception handlers,
     * and the global thread's, to this dead-letter path. The app and the tests take them from here.
     */
    public Map<String, Object> streamsProperties() {
        return Map.of(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ProcessingFailureHandler.class,
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ProductionFailureHandler.class,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true,
                CONFIG_KEY, this);
    }

    static HandlerDeadLetters from(Map<String, ?> configs) {
        if (configs.get(CONFIG_KEY) instanceof HandlerDeadLetters deadLetters) {
            return deadLetters;
        }
        throw new ConfigException(CONFIG_KEY, configs.get(CONFIG_KEY), "Tributary's exception handlers need the app's "
                + "dead-letter path; build the Kafka Streams properties with HandlerDeadLetters.streamsProperties()");
    }

    RefusedRows refused() {
        return refused;
    }

    TopicLimits topicLimits() {
        return topicLimits;
    }

    PipelineMetrics metrics() {
        return metrics;
    }

    /** The lake table whose input topic this is (or the topic itself, for one the app does not know). */
    String tableOf(String sourceTopic) {
        return tableBySource.getOrDefault(sourceTopic, sourceTopic);
    }

    /**
     * Counts the input as read when the processor that reads and counts it failed itself (it counts a
     * record once it has gone its way, which this one never did).
     */
    void countInputIfItsReaderFailed(ErrorHandlerContext context) {
        String table = tableOf(context.topic());
        String node = context.processorNodeId();
        if (node.equals(InputReaders.EVENTS) || node.equals(InputReaders.cdc(table))) {
            metrics.table(table).in();
        }
    }

    /** Whether the app writes dead letters to this topic: a failure there must not be dead-lettered again. */
    boolean isDeadLetterTopic(String topic) {
        return topic.equals(topics.deadLetters()) || topic.equals(topics.lakeDeadLetters());
    }

    /**
     * The dead-letter record and the dead_letters row of the input record a handler was called for,
     * counted as dead-lettered for its table.
     */
    List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, String stage, Throwable error, String message) {
        String table = tableOf(context.topic());
        DeadLetter dead = new DeadLetter(table, stage, SafeErrorText.rootCause(error).getClass().getName(), message,
                context.topic(), context.partition(), context.offset(), context.timestamp(), context.sourceRawKey(),
                context.sourceRawValue());
        metrics.deadLettered(table, stage);
        Long timestamp = context.timestamp() >= 0 ? context.timestamp() : null;
        return List.of(
                new ProducerRecord<>(topics.deadLetters(), null, timestamp, dead.originalKey(), dead.value(maxOriginalBytes),
                        dead.headers(maxOriginalBytes)),
                new ProducerRecord<>(topics.lakeDeadLetters(), null, timestamp, null,
                        topics.lakeValueSerde().serializer().serialize(topics.lakeDeadLetters(), dead.envelope())));
    }
}
