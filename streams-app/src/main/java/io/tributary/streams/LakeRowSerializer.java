package io.tributary.streams;

import io.tributary.streams.dlq.RefusedRows;
import io.tributary.streams.dlq.RowRejected;
import io.tributary.streams.metrics.PipelineMetrics;
import java.util.function.ToLongFunction;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes the rows of one lake table and is the last step before its topic: a row larger than
 * {@code lake.max.row.bytes}, or one the broker refused before ({@link RefusedRows}), fails here as a
 * serialization error, which the production exception handler dead-letters with its input record.
 * A row that passes is counted as out, with its event-time lag: counting here, not before, keeps
 * {@code in = out + dead_lettered} exact when a row fails on its way out.
 */
final class LakeRowSerializer implements Serializer<GenericRecord> {
    private final Serializer<GenericRecord> avro;
    private final PipelineMetrics.Table metrics;
    private final ToLongFunction<GenericRecord> eventTime;
    private final int maxRowBytes;
    private final RefusedRows refused;

    LakeRowSerializer(Serializer<GenericRecord> avro, PipelineMetrics.Table metrics, ToLongFunction<GenericRecord> eventTime,
            int maxRowBytes, RefusedRows refused) {
        this.avro = avro;
        this.metrics = metrics;
        this.eventTime = eventTime;
        this.maxRowBytes = maxRowBytes;
        this.refused = refused;
    }

    @Override
    public byte[] serialize(String topic, GenericRecord row) {
        byte[] bytes = avro.serialize(topic, row);
        if (bytes.length > maxRowBytes) {
            throw new RowRejected("the row is " + bytes.length + " bytes as Avro, more than lake.max.row.bytes=" + maxRowBytes
                    + " (kept below the producer's and the brokers' message size limits)");
        }
        String refusal = refused.take(topic, bytes);
        if (refusal != null) {
            throw new RowRejected("the broker refused the row for " + topic + ": " + refusal);
        }
        metrics.out(eventTime.applyAsLong(row));
        return bytes;
    }
}
