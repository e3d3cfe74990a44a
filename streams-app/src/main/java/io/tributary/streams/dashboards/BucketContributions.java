package io.tributary.streams.dashboards;

import io.tributary.streams.config.Aggregate;
import io.tributary.streams.metrics.PipelineMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Places each event row of the lake in its bucket and group: the key becomes the bucket key (so the
 * repartition that follows brings every event of a bucket and group to one task) and the value what
 * the row contributes. A row without a value in the aggregate's time column has no bucket: it is
 * counted as skipped, not silently lost.
 */
final class BucketContributions implements Processor<String, GenericRecord, String, Contribution> {
    private final Aggregate aggregate;
    private final Bucketing bucketing;
    private final String nullLabel;
    private final PipelineMetrics.AggregateCounters counters;
    private ProcessorContext<String, Contribution> context;

    BucketContributions(Aggregate aggregate, String nullLabel, PipelineMetrics.AggregateCounters counters) {
        this.aggregate = aggregate;
        this.bucketing = Bucketing.of(aggregate);
        this.nullLabel = nullLabel;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, Contribution> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, GenericRecord> record) {
        GenericRecord row = record.value();
        Long time = aggregate.timeColumn() == null ? Long.valueOf(record.timestamp()) : LakeValues.millis(row, aggregate.timeColumn());
        if (row == null || time == null) {
            counters.skipped();
            return;
        }
        context.forward(record.withKey(key(aggregate, row, bucketing.start(time), nullLabel))
                .withValue(Contribution.of(aggregate, row)));
    }

    /** The bucket key of a row whose bucket starts at {@code start}: null group values become the null label. */
    static String key(Aggregate aggregate, GenericRecord row, long start, String nullLabel) {
        List<String> groups = new ArrayList<>(aggregate.groupBy().size());
        for (String column : aggregate.groupBy()) {
            String value = LakeValues.text(row, column);
            groups.add(value == null ? nullLabel : value);
        }
        return new BucketKey(start, groups).encode();
    }
}
