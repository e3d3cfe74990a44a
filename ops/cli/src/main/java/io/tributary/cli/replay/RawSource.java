package io.tributary.cli.replay;

import io.tributary.schemas.lake.LakePath.HourPartition;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Where a replay reads source records: the raw archive or the Kafka topic itself. Either way a
 * replay reads, per hour of lake time, the records below its cut, in (partition, offset) order, so
 * that the rows it writes are a function of that input alone.
 */
interface RawSource extends AutoCloseable {
    /** Reads the records of {@code hour} below the cut, in (partition, offset) order; returns how many. Thread-safe. */
    long read(HourPartition hour, RawRecords.Sink sink) throws IOException;

    /**
     * Reads every record of {@code topic} below {@code ends} (per partition), partition by partition
     * in offset order: the master tables' history that enrichment needs.
     */
    long readAll(String topic, Map<Integer, Long> ends, RawRecords.Sink sink) throws IOException;

    /** For --dry-run: what reading {@code hours} takes, in one line. */
    String describe(List<HourPartition> hours) throws IOException;

    @Override
    void close() throws IOException;
}
