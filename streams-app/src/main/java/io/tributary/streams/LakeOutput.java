package io.tributary.streams;

import io.tributary.streams.metrics.PipelineMetrics;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The last step before a lake topic: keys the row by its entity column (when one is given) so one
 * entity stays in one partition, and counts it with its event-time lag.
 */
final class LakeOutput implements Processor<String, GenericRecord, String, GenericRecord> {
    private final String table;
    private final String keyField;
    private final PipelineMetrics.Table metrics;
    private ProcessorContext<String, GenericRecord> context;

    LakeOutput(String table, String keyField, PipelineMetrics metrics) {
        this.table = table;
        this.keyField = keyField;
        this.metrics = metrics.table(table);
    }

    @Override
    public void init(ProcessorContext<String, GenericRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, GenericRecord> record) {
        metrics.out(record.timestamp());
        if (keyField == null) {
            context.forward(record);
        } else {
            Object key = record.value().get(keyField);
            context.forward(record.withKey(key == null ? null : key.toString()));
        }
    }
}
