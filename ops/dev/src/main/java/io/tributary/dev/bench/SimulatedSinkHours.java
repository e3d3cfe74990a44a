package io.tributary.dev.bench;

import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.connect.s3.writer.LocalBuffer;
import io.tributary.connect.s3.writer.SinkWriter;
import io.tributary.lake.store.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.TopicPartition;

/**
 * Hours of {@code app_events} rows written the way the sink writes them: the sink's own
 * {@link SinkWriter} (Parquet, upload, markers) over 3 lake-topic partitions, rows dealt round-robin,
 * on a simulated clock that advances with the event times (the sink keeps up: a row's write time is its
 * event time), with the sink's flush called every simulated second as a task does after each poll. So
 * each partition closes its open file when its {@code rotate.schedule.interval.ms} is up: one object
 * per partition and flush, byte for byte what the sink would write for that input. The rows are a pool
 * made by the pipeline's topology, cycled, each copy with its own event time and a unique event id.
 */
final class SimulatedSinkHours {
    static final String TABLE = "app_events";
    private static final int PARTITIONS = 3;
    private static final long HOUR = 3_600_000L;

    private final List<GenericRecord> pool;
    private final int[] sizes;
    private final PrintWriter out;

    SimulatedSinkHours(List<GenericRecord> pool, PrintWriter out) {
        this.pool = pool;
        this.sizes = pool.stream().mapToInt(SimulatedSinkHours::avroSize).toArray();
        this.out = out;
    }

    /**
     * Writes {@code rate} rows per second during the first {@code minutesPerHour} minutes of each of
     * {@code hours} hours from {@code firstHour}; returns the rows written.
     */
    long write(S3SinkConfig config, ObjectStore store, Path bufferDir, String topic, int rate, long firstHour, int hours,
               int minutesPerHour) throws IOException {
        long perHour = (long) rate * minutesPerHour * 60;
        long rows = 0;
        long started = System.nanoTime();
        long nextReport = started + 10_000_000_000L;
        try (LocalBuffer buffer = new LocalBuffer(bufferDir)) {
            SinkWriter writer = new SinkWriter(config, store, buffer);
            TopicPartition[] tps = new TopicPartition[PARTITIONS];
            long[] offsets = new long[PARTITIONS];
            for (int p = 0; p < PARTITIONS; p++) {
                tps[p] = new TopicPartition(topic, p);
                writer.open(tps[p]);
            }
            for (int h = 0; h < hours; h++) {
                long hourStart = firstHour + h * HOUR;
                long nextTick = hourStart + 1000;
                for (long k = 0; k < perHour; k++, rows++) {
                    long time = hourStart + k * 1000 / rate;
                    while (time >= nextTick) {
                        checked(writer.flush(nextTick));
                        nextTick += 1000;
                    }
                    int p = (int) (rows % PARTITIONS);
                    writer.write(tps[p], offsets[p]++, time, row(rows, time), sizes[(int) (rows % pool.size())], time);
                    if ((rows & 0xfff) == 0 && System.nanoTime() > nextReport) {
                        nextReport = System.nanoTime() + 10_000_000_000L;
                        out.printf("    %,d/s: hour %d of %d, %,d of %,d rows written (%.0f s)%n", rate, h + 1, hours, rows,
                                perHour * hours, (System.nanoTime() - started) / 1e9);
                        out.flush();
                    }
                }
                // The quiet rest of the hour: the next flushes close what is open.
                long end = hourStart + minutesPerHour * 60_000L;
                for (long t = nextTick; t <= end + config.rotateScheduleIntervalMs() + 1000; t += 1000) {
                    checked(writer.flush(t));
                }
            }
            // Idle flushes: the markers stop naming the last files, as a running task's do once nothing new arrives.
            checked(writer.flush(Long.MAX_VALUE / 2));
            checked(writer.flush(Long.MAX_VALUE / 2));
        }
        return rows;
    }

    /** The pool row for this index with its own event time and, from the second cycle on, a unique event id. */
    private GenericRecord row(long index, long time) {
        GenericData.Record template = (GenericData.Record) pool.get((int) (index % pool.size()));
        GenericData.Record row = new GenericData.Record(template, false);
        row.put("event_time", template.get("event_time") instanceof Instant ? Instant.ofEpochMilli(time) : (Object) time);
        long cycle = index / pool.size();
        if (cycle > 0) {
            row.put("event_id", template.get("event_id") + "-" + cycle);
        }
        return row;
    }

    private static void checked(java.util.Set<TopicPartition> failing) {
        if (!failing.isEmpty()) {
            throw new IllegalStateException("uploads to the local S3 server failed for " + failing + "; see the log");
        }
    }

    /** The row's Avro size (plus the 5-byte wire header): what the sink's memory estimate is told per record. */
    private static int avroSize(GenericRecord row) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            new GenericDatumWriter<GenericRecord>(row.getSchema()).write(row, encoder);
            return bytes.size() + 5;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
