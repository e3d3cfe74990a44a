package io.tributary.streams;

import io.tributary.streams.metrics.PipelineMetrics;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** The last step before a lake topic: counts the row with its event-time lag. */
final class LakeOutput implements Processor<String, GenericRecord, String, GenericRecord> {
    private final PipelineMetrics.Table metrics;
    private ProcessorContext<String, GenericRecord> context;

    LakeOutput(String table, PipelineMetrics metrics) {
        this.metrics = metrics.table(table);
    }

    @Override
    public void init(ProcessorContext<String, GenericRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, GenericRecord> record) {
        metrics.out(record.timestamp());
        context.forward(record);
    }
}
