package io.tributary.streams.dlq;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Where an input record came from, for dead-letter headers. */
public record RecordOrigin(String topic, int partition, long offset, long timestamp) {
    public static RecordOrigin of(ProcessorContext<?, ?> context, Record<?, ?> record) {
        return context.recordMetadata()
                .map(m -> new RecordOrigin(m.topic(), m.partition(), m.offset(), record.timestamp()))
                .orElse(new RecordOrigin("unknown", -1, -1, record.timestamp()));
    }
}
