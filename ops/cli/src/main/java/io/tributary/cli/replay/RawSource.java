package io.tributary.cli.replay;

import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.streams.replay.InProcessPipeline.Input;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Where a replay reads source records: the raw archive or the Kafka topic itself. Either way a
 * replay reads, per hour of lake time, the records below its cut, in (partition, offset) order, so
 * that the rows it writes are a function of that input alone.
 */
interface RawSource extends AutoCloseable {
    /**
     * Receives a source record, the hour of lake time it belongs to, and the text of its {@link
     * RowIdentity#sourceLeaf} (its event id; null without one), read with its time.
     */
    @FunctionalInterface
    interface HourSink {
        void accept(HourPartition hour, Input record, String id) throws IOException;
    }

    /**
     * Reads the records of {@code hours} below the cut; returns how many. Each hour's records come in
     * (partition, offset) order; the hours may interleave (Kafka is read partition by partition, each
     * in offset order, as it holds them, rather than hour by hour).
     */
    long read(List<HourPartition> hours, HourSink sink) throws IOException;

    /**
     * Reads every record of {@code topic} below {@code ends} (per partition), partition by partition
     * in offset order: the master tables' history that enrichment needs. Thread-safe.
     */
    long readAll(String topic, Map<Integer, Long> ends, RawRecords.Sink sink) throws IOException;

    /** At most how many records reading {@code hours} reads (for the progress line's time left). */
    long expectedRecords(List<HourPartition> hours) throws IOException;

    /** For --dry-run: what reading {@code hours} takes, in one line. */
    String describe(List<HourPartition> hours) throws IOException;

    @Override
    void close() throws IOException;
}
