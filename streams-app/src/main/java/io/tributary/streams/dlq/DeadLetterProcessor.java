package io.tributary.streams.dlq;

import io.tributary.streams.metrics.PipelineMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Emits a failed record to the dead-letter topic: its original key and bytes, and headers saying why. */
public final class DeadLetterProcessor implements Processor<String, Outcome, byte[], byte[]> {
    private final PipelineMetrics metrics;
    private final int maxOriginalBytes;
    private ProcessorContext<byte[], byte[]> context;

    public DeadLetterProcessor(PipelineMetrics metrics, int maxOriginalBytes) {
        this.metrics = metrics;
        this.maxOriginalBytes = maxOriginalBytes;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Outcome> record) {
        DeadLetter dead = ((Outcome.Failed) record.value()).deadLetter();
        context.forward(new Record<>(dead.originalKey(), dead.value(maxOriginalBytes), record.timestamp(),
                dead.headers(maxOriginalBytes)));
        metrics.deadLettered(dead.table(), dead.stage()); // once sent, as the input is counted once it has gone its way
    }
}
