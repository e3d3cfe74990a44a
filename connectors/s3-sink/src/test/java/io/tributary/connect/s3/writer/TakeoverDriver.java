package io.tributary.connect.s3.writer;

import static io.tributary.connect.s3.writer.WriterFixture.T0;
import static io.tributary.connect.s3.writer.WriterFixture.V1;
import static io.tributary.connect.s3.writer.WriterFixture.row;
import static io.tributary.connect.s3.writer.WriterFixture.tp;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.connect.s3.writer.TopicPartitionWriter.Outcome;
import io.tributary.lake.store.InMemoryObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Plays Connect for the takeover tests: tasks (one {@link SinkWriter} each) receive records of
 * partition 0 ({id, offset, time}), flush on a simulated clock, and are checked by reading every
 * object back.
 */
final class TakeoverDriver {
    static final int RECORDS = 600;
    /** Flushes this much clock time later rotate every open file (rotate.schedule.interval.ms is half of it). */
    static final long FLUSH_DUE = 2_000;

    private final WriterFixture fixture;
    private long clock;

    TakeoverDriver(Path dir) {
        this.fixture = new WriterFixture(dir);
    }

    /**
     * A task whose files close only on the wall-clock flush (unless overridden), so file boundaries
     * depend on timing and two tasks name their files alike only by design.
     */
    SinkWriter task(InMemoryObjectStore store, String... overrides) throws IOException {
        List<String> settings = new ArrayList<>(List.of(S3SinkConfig.FLUSH_SIZE, "100000",
                S3SinkConfig.ROTATE_SCHEDULE_INTERVAL_MS, String.valueOf(FLUSH_DUE / 2)));
        settings.addAll(List.of(overrides));
        return fixture.writer(store, settings.toArray(String[]::new));
    }

    /**
     * 600 records over four event hours: an hour's records span the zombie's last batch and the new
     * owner's, so the two name their files of that hour alike only when the new owner writes the
     * zombie's in-flight files again by design.
     */
    static List<long[]> input(Random random) {
        return WriterFixture.records(random, 1, RECORDS, 4).get(0);
    }

    /** {@code count} records, offsets 0.., all in the hour of T0; ids start at {@code firstId}. */
    static List<long[]> oneHour(long firstId, int count) {
        List<long[]> records = new ArrayList<>();
        for (int offset = 0; offset < count; offset++) {
            records.add(new long[] {firstId + offset, offset, T0 + offset});
        }
        return records;
    }

    /** A task that opened partition 0 and uploaded its records {@code 0..count-1}. */
    SinkWriter taskThatUploaded(InMemoryObjectStore store, List<long[]> input, int count) throws IOException {
        SinkWriter task = task(store);
        task.open(tp(0), WriterFixture.TOPIC_ID);
        deliver(task, input, 0, count);
        task.flush(later());
        return task;
    }

    /** The clock after a wall-clock flush became due. */
    long later() {
        return clock += FLUSH_DUE;
    }

    /** Delivers records {@code from..to-1}; returns how many had each outcome. */
    Map<Outcome, Integer> deliver(SinkWriter task, List<long[]> input, int from, int to) throws IOException {
        Map<Outcome, Integer> outcomes = new TreeMap<>();
        for (int i = from; i < to; i++) {
            long[] rec = input.get(i);
            outcomes.merge(task.write(tp(0), rec[1], rec[2], row(V1, rec[0], rec[2]), 40, clock++), 1, Integer::sum);
        }
        return outcomes;
    }

    /** Delivers in batches of 50 from index {@code from}, flushing after each. */
    void deliverInBatches(SinkWriter task, List<long[]> input, int from, Runnable afterEachBatch) throws IOException {
        for (int i = from; i < input.size(); i += 50) {
            deliver(task, input, i, Math.min(i + 50, input.size()));
            task.flush(clock);
            afterEachBatch.run();
        }
    }

    /** Delivers everything from the resume offset, then flushes until all is committed. */
    void deliverAllAndCommit(SinkWriter task, List<long[]> input, long resumeAt) throws IOException {
        deliverInBatches(task, input, indexOf(input, resumeAt), () -> { });
        commitAll(task, input);
    }

    void commitAll(SinkWriter task, List<long[]> input) throws IOException {
        long end = input.get(input.size() - 1)[1] + 1;
        for (int tick = 0; task.safeOffsets().getOrDefault(tp(0), -1L) != end; tick++) {
            assertThat(tick).as("everything committed within a few flushes").isLessThan(20);
            task.flush(later());
        }
    }

    /** A flush on another thread, for a zombie whose upload the store holds in flight. */
    CompletableFuture<Set<TopicPartition>> flushOnAnotherThread(SinkWriter zombie) {
        long at = later();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return zombie.flush(at);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The index of the first record at or after {@code offset} (-1: from the start). */
    static int indexOf(List<long[]> input, long offset) {
        int i = 0;
        while (i < input.size() && input.get(i)[1] < offset) {
            i++;
        }
        return i;
    }

    /** How many times each record id is in the store's Parquet objects. */
    Map<Long, Integer> idCounts(InMemoryObjectStore store) throws IOException {
        return fixture.idCounts(store.snapshot());
    }

    static Map<Long, Integer> onceEach(List<long[]> input) {
        Map<Long, Integer> expected = new TreeMap<>();
        input.forEach(rec -> expected.put(rec[0], 1));
        return expected;
    }

    void assertExactlyOnce(InMemoryObjectStore store, List<long[]> input) throws IOException {
        assertThat(idCounts(store)).isEqualTo(onceEach(input));
    }
}
