package io.tributary.connect.s3.writer;

import static io.tributary.connect.s3.writer.WriterFixture.HOUR;
import static io.tributary.connect.s3.writer.WriterFixture.MARKER;
import static io.tributary.connect.s3.writer.WriterFixture.T0;
import static io.tributary.connect.s3.writer.WriterFixture.TOPIC_ID;
import static io.tributary.connect.s3.writer.WriterFixture.V1;
import static io.tributary.connect.s3.writer.WriterFixture.V2;
import static io.tributary.connect.s3.writer.WriterFixture.row;
import static io.tributary.connect.s3.writer.WriterFixture.tp;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.connect.s3.writer.TopicPartitionWriter.Outcome;
import io.tributary.lake.marker.PartitionMarker;
import io.tributary.lake.store.InMemoryObjectStore.Crash;
import io.tributary.lake.store.InMemoryObjectStore;
import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The writer's state machine against an in-memory store: file layout, rotation, back-pressure, and
 * exactly-once under crashes at any point (mid-write, before or after any S3 request) with the
 * wall-clock flush on, checked by reading every Parquet object back.
 */
class SinkWriterTest {
    @TempDir
    Path dir;

    private WriterFixture fixture() {
        return new WriterFixture(dir);
    }

    private S3SinkConfig config(String... overrides) {
        return fixture().config(overrides);
    }

    @Test
    void writesOneFilePerHourNamedByItsOffsetsInUtcFoldersAndCommitsOnlyUploadedOffsets() throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(1));
        SinkWriter writer = new SinkWriter(config(S3SinkConfig.FLUSH_SIZE, "2"), store, new LocalBuffer(dir));
        assertThat(writer.open(tp(0), TOPIC_ID)).isEqualTo(-1);
        writer.write(tp(0), 10, T0 + 5, row(V1, 1, T0 + 5), 40, 0);            // 2025-12-31 22h
        writer.write(tp(0), 11, T0 + 2 * HOUR, row(V1, 2, T0 + 2 * HOUR), 40, 0); // 2026-01-01 00h
        writer.write(tp(0), 12, T0 + 9, row(V1, 3, T0 + 9), 40, 0);            // 22h again: flush.size 2 reached
        writer.flush(0);

        assertThat(store.objects.keySet()).containsExactly(
                MARKER,
                "warehouse/_tributary/probe/lake-sink.json",
                "warehouse/orders/dt=2025-12-31/hour=22/lake.orders+0+10+12.parquet");
        assertThat(writer.safeOffsets()).containsExactly(Map.entry(tp(0), 11L))
                .as("offset 11 sits in the open 00h file, so it is not committed");
        PartitionMarker marker = PartitionMarker.fromJson(store.objects.get(MARKER));
        assertThat(marker.safeOffset()).as("written before the upload, so the file's start still counts").isEqualTo(10);
        assertThat(marker.files()).extracting(PartitionMarker.FileEntry::key)
                .containsExactly("warehouse/orders/dt=2025-12-31/hour=22/lake.orders+0+10+12.parquet");
        assertThat(readIds(store, "warehouse/orders/dt=2025-12-31/hour=22/lake.orders+0+10+12.parquet")).containsExactly(1L, 3L);
    }

    @Test
    void anIdlePartitionsMarkerStopsNamingItsLastFileAtTheNextFlush() throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(1));
        SinkWriter writer = new SinkWriter(config(S3SinkConfig.FLUSH_SIZE, "2"), store, new LocalBuffer(dir));
        writer.open(tp(0), TOPIC_ID);
        writer.write(tp(0), 10, T0 + 5, row(V1, 1, T0 + 5), 40, 0);
        writer.write(tp(0), 11, T0 + 9, row(V1, 2, T0 + 9), 40, 0);
        writer.flush(0);
        String file = "warehouse/orders/dt=2025-12-31/hour=22/lake.orders+0+10+11.parquet";
        assertThat(PartitionMarker.fromJson(store.objects.get(MARKER)).files()).extracting(PartitionMarker.FileEntry::key)
                .as("named while it uploads").containsExactly(file);

        // No more records: the next flush alone lets the marker pass the file, so a swap may replace it.
        writer.flush(1);
        PartitionMarker marker = PartitionMarker.fromJson(store.objects.get(MARKER));
        assertThat(marker.safeOffset()).isEqualTo(12);
        assertThat(marker.files()).isEmpty();
        byte[] settled = store.objects.get(MARKER);
        writer.flush(2);
        assertThat(store.objects.get(MARKER)).as("nothing new: no further marker version").isEqualTo(settled);
    }

    @Test
    void redeliveredRecordsAreSkippedAndASchemaChangeOpensANewFileInTheSameHour() throws IOException, SQLException {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(1));
        SinkWriter writer = new SinkWriter(config(S3SinkConfig.ROTATE_SCHEDULE_INTERVAL_MS, "1000"), store,
                new LocalBuffer(dir));
        writer.open(tp(1), TOPIC_ID);
        assertThat(writer.write(tp(1), 0, T0, row(V1, 1, T0), 40, 0)).isEqualTo(Outcome.WRITTEN);
        assertThat(writer.write(tp(1), 0, T0, row(V1, 1, T0), 40, 0)).isEqualTo(Outcome.REDELIVERED);
        GenericRecord withChannel = row(V2, 2, T0 + 1);
        withChannel.put("channel", "web");
        assertThat(writer.write(tp(1), 1, T0 + 1, withChannel, 40, 0)).isEqualTo(Outcome.WRITTEN);
        writer.flush(1000);

        assertThat(parquetKeys(store)).containsExactly(
                "warehouse/orders/dt=2025-12-31/hour=22/lake.orders+1+0+0.parquet",
                "warehouse/orders/dt=2025-12-31/hour=22/lake.orders+1+1+1.parquet");
        assertThat(writer.safeOffsets()).containsEntry(tp(1), 2L);
        // Both files read together, as Athena reads a table whose schema gained a column.
        List<String> files = new ArrayList<>();
        for (String key : parquetKeys(store)) {
            Path file = Files.write(dir.resolve(key.substring(key.lastIndexOf('/') + 1)), store.objects.get(key));
            files.add("'" + file + "'");
        }
        List<String> rows = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
             ResultSet r = st.executeQuery("SELECT id, channel FROM read_parquet([" + String.join(",", files)
                     + "], union_by_name = true) ORDER BY id")) {
            while (r.next()) {
                rows.add(r.getLong(1) + ":" + r.getString(2));
            }
        }
        assertThat(rows).containsExactly("1:null", "2:web");
    }

    @Test
    void theOpenFileCapClosesTheLeastRecentlyWrittenFileAcrossPartitions() throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(1));
        SinkWriter writer = new SinkWriter(config(S3SinkConfig.MAX_OPEN_FILES, "2"), store, new LocalBuffer(dir));
        writer.open(tp(0), TOPIC_ID);
        writer.open(tp(1), TOPIC_ID);
        writer.write(tp(0), 0, T0, row(V1, 1, T0), 40, 0);
        writer.write(tp(1), 0, T0 + HOUR, row(V1, 2, T0 + HOUR), 40, 0);
        writer.write(tp(0), 1, T0 + 1, row(V1, 3, T0 + 1), 40, 0); // touches tp0's 22h file: tp1's 23h is now the oldest
        writer.write(tp(0), 2, T0 + 2 * HOUR, row(V1, 4, T0 + 2 * HOUR), 40, 0);
        writer.flush(0);

        assertThat(writer.openFileCount()).isEqualTo(2);
        assertThat(parquetKeys(store)).containsExactly("warehouse/orders/dt=2025-12-31/hour=23/lake.orders+1+0+0.parquet");
    }

    @Test
    void whileS3FailsThePartitionIsReportedForPausingAndItsOffsetDoesNotMove() throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(1));
        SinkWriter writer = new SinkWriter(config(S3SinkConfig.FLUSH_SIZE, "1"), store, new LocalBuffer(dir));
        writer.open(tp(0), TOPIC_ID);
        store.failRequests(1.0);
        writer.write(tp(0), 0, T0, row(V1, 1, T0), 40, 0);
        assertThat(writer.flush(0)).containsExactly(tp(0));
        assertThat(writer.safeOffsets()).containsEntry(tp(0), 0L);

        store.failRequests(0);
        assertThat(writer.flush(0)).isEmpty();
        assertThat(writer.safeOffsets()).containsEntry(tp(0), 1L);
        assertThat(parquetKeys(store)).containsExactly("warehouse/orders/dt=2025-12-31/hour=22/lake.orders+0+0+0.parquet");
    }

    @Test
    void theMemoryLimitClosesTheFileHoldingTheMostBeforeTheBoundIsPassed() throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(1));
        SinkWriter writer = new SinkWriter(config(S3SinkConfig.MAX_BUFFERED_BYTES, String.valueOf(1024 * 1024),
                S3SinkConfig.PARQUET_ROW_GROUP_BYTES, String.valueOf(1024 * 1024), S3SinkConfig.PARQUET_CODEC, "uncompressed"),
                store, new LocalBuffer(dir));
        writer.open(tp(0), TOPIC_ID);
        Random random = new Random(3);
        for (int i = 0; i < 60_000; i++) {
            GenericRecord r = row(V1, i, T0 + (i % 2) * HOUR);
            r.put("note", Long.toString(random.nextLong(), 36) + Long.toString(random.nextLong(), 36));
            writer.write(tp(0), i, T0 + (i % 2) * HOUR, r, 40, 0);
        }
        writer.flush(0);
        assertThat(parquetKeys(store)).as("files closed by the memory limit").isNotEmpty();
        long ids = 0;
        for (String key : parquetKeys(store)) {
            ids += readIds(store, key).size();
        }
        assertThat(ids).as("no other rotation applies: flush.size and file size are far away").isBetween(1L, 59_999L);
    }

    /**
     * The exactly-once argument, tested: a simulated Connect worker delivers three partitions of
     * late, hour-spread records in random batches, commits what preCommit returns at random moments,
     * and dies five times at random points (mid-batch, or at a random S3 request, before or after
     * it takes effect) while a tenth of S3 requests fail. Each restart resumes like Connect would.
     * In the end every record is in exactly one object, in the folder of its own hour.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void everyRecordLandsExactlyOnceWhateverTheCrashPoint(long seed) throws IOException {
        Random random = new Random(seed);
        InMemoryObjectStore store = new InMemoryObjectStore(random);
        S3SinkConfig config = config(S3SinkConfig.FLUSH_SIZE, "250", S3SinkConfig.MAX_OPEN_FILES, "6",
                S3SinkConfig.ROTATE_SCHEDULE_INTERVAL_MS, "1500");
        List<List<long[]>> input = WriterFixture.records(random, 3, 1_200);
        new ConnectSimulation(store, config, input, random).runWithCrashes(5);

        Map<Long, Integer> seen = new TreeMap<>();
        for (String key : parquetKeys(store)) {
            LakePath.FileOffsets name = LakePath.parseFile(key);
            for (GenericRecord r : read(store, key)) {
                long id = (Long) r.get("id");
                seen.merge(id, 1, Integer::sum);
                assertThat(key).as("record %d sits in its own hour", id).contains(folderOf(((Instant) r.get("ts")).toEpochMilli()));
                long offset = id % 1_000_000;
                assertThat(offset).isBetween(name.startOffset(), name.endOffset());
                assertThat(name.partition()).isEqualTo((int) (id / 1_000_000));
            }
        }
        Map<Long, Integer> expected = new TreeMap<>();
        input.forEach(p -> p.forEach(rec -> expected.put(rec[0], 1)));
        assertThat(seen).isEqualTo(expected);
    }

    /** What the Connect worker does around a sink task, minus Kafka: deliver, commit, die, restart. */
    private final class ConnectSimulation {
        private final InMemoryObjectStore store;
        private final S3SinkConfig config;
        private final List<List<long[]>> input;
        private final Random random;
        private final Map<Integer, Long> committed = new HashMap<>();
        private long clock;

        ConnectSimulation(InMemoryObjectStore store, S3SinkConfig config, List<List<long[]>> input, Random random) {
            this.store = store;
            this.config = config;
            this.input = input;
            this.random = random;
        }

        void runWithCrashes(int crashes) throws IOException {
            store.failRequests(0.1);
            int left = crashes;
            while (true) {
                try {
                    if (left > 0) {
                        store.crashAtRequest(1 + random.nextInt(60));
                    }
                    runOnce(left > 0 ? random.nextInt(input.size() * input.get(0).size()) : -1);
                    return;
                } catch (Crash crash) {
                    left--;
                }
            }
        }

        /** One task life; crashes after {@code crashAfterRecords} records when that is not -1. */
        private void runOnce(int crashAfterRecords) throws IOException {
            SinkWriter writer = new SinkWriter(config, store, new LocalBuffer(dir));
            Map<Integer, Integer> position = new HashMap<>();
            for (int p = 0; p < input.size(); p++) {
                long resumeAt;
                while (true) {
                    try {
                        resumeAt = writer.open(tp(p), TOPIC_ID);
                        break;
                    } catch (IOException failedRead) {
                        // the task fails and Connect restarts it: same thing as trying again
                    }
                }
                position.put(p, indexOf(p, resumeAt >= 0 ? resumeAt : committed.getOrDefault(p, 0L)));
            }
            Set<TopicPartition> paused = new HashSet<>();
            int delivered = 0;
            while (position.entrySet().stream().anyMatch(e -> e.getValue() < input.get(e.getKey()).size())) {
                int p = random.nextInt(input.size());
                int batch = paused.contains(tp(p)) ? 0 : random.nextInt(300);
                int from = position.get(p);
                int to = Math.min(from + batch, input.get(p).size());
                for (int i = from; i < to; i++) {
                    long[] rec = input.get(p).get(i);
                    Schema schema = p == 0 && i > input.get(p).size() / 2 ? V2 : V1;
                    writer.write(tp(p), rec[1], rec[2], row(schema, rec[0], rec[2]), 40, clock);
                    clock += random.nextInt(8);
                    if (++delivered == crashAfterRecords) {
                        throw new Crash("mid-write");
                    }
                }
                position.put(p, to);
                paused.clear();
                paused.addAll(writer.flush(clock));
                if (random.nextInt(5) == 0) {
                    writer.flush(clock);
                    writer.safeOffsets().forEach((tp, offset) -> committed.put(tp.partition(), offset));
                }
            }
            // Quiet topic: the wall-clock flush alone must get the rest out.
            while (!allCommitted(writer)) {
                clock += 500;
                writer.flush(clock);
                writer.safeOffsets().forEach((tp, offset) -> committed.put(tp.partition(), offset));
            }
        }

        private boolean allCommitted(SinkWriter writer) {
            Map<TopicPartition, Long> safe = writer.safeOffsets();
            for (int p = 0; p < input.size(); p++) {
                List<long[]> records = input.get(p);
                if (safe.getOrDefault(tp(p), -1L) != records.get(records.size() - 1)[1] + 1) {
                    return false;
                }
            }
            return true;
        }

        /** The index of the first record at or after {@code offset}. */
        private int indexOf(int p, long offset) {
            List<long[]> records = input.get(p);
            int i = 0;
            while (i < records.size() && records.get(i)[1] < offset) {
                i++;
            }
            return i;
        }
    }

    private static String folderOf(long ts) {
        LakePath.HourPartition h = LakePath.hourOf(ts);
        return "/dt=" + h.dt() + "/hour=" + h.hour() + "/";
    }

    private static List<String> parquetKeys(InMemoryObjectStore store) {
        return WriterFixture.parquetKeys(store.objects);
    }

    private List<Long> readIds(InMemoryObjectStore store, String key) throws IOException {
        return fixture().readIds(store.objects.get(key));
    }

    private List<GenericRecord> read(InMemoryObjectStore store, String key) throws IOException {
        return fixture().read(store.objects.get(key));
    }
}
