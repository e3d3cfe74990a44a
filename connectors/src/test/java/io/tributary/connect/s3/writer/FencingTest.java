package io.tributary.connect.s3.writer;

import static io.tributary.connect.s3.writer.WriterFixture.CONNECTOR;
import static io.tributary.connect.s3.writer.WriterFixture.MARKER;
import static io.tributary.connect.s3.writer.WriterFixture.RECREATED_TOPIC_ID;
import static io.tributary.connect.s3.writer.WriterFixture.T0;
import static io.tributary.connect.s3.writer.WriterFixture.TOPIC_ID;
import static io.tributary.connect.s3.writer.WriterFixture.V1;
import static io.tributary.connect.s3.writer.WriterFixture.row;
import static io.tributary.connect.s3.writer.WriterFixture.tp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.connect.s3.S3SinkConfig;
import io.tributary.connect.s3.storage.PartitionMarker;
import io.tributary.connect.s3.writer.InMemoryObjectStore.Conditions;
import io.tributary.connect.s3.writer.InMemoryObjectStore.PausedPut;
import io.tributary.connect.s3.writer.TopicPartitionWriter.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fencing, tested against the in-memory store: a task that lost its partition keeps running (a
 * zombie) while another task takes the partition over; markers of another owner and from before
 * fencing; the choice between conditional writes and generation checks. Each test reads every
 * object back and checks the exact record set.
 */
class FencingTest {
    private static final int RECORDS = 600;
    /** Flushes after this much clock time rotate every open file (rotate.schedule.interval.ms). */
    private static final long FLUSH_DUE = 2_000;

    @TempDir
    Path dir;
    private long clock;

    /** When the zombie's paused upload lands: right after the new owner's HEAD missed it, or after the new owner uploaded everything. */
    enum Release { AFTER_TAKEOVER, AFTER_NEW_OWNER_UPLOADED }

    /**
     * Done-when of issue 16: task A is killed mid-upload from Connect's point of view (its PUT is
     * held in flight) while task B takes the partition over, and A keeps running: its upload
     * completes after B's HEAD, it goes on with its batch, receives more records and tries to write
     * its marker. Every record ends in S3 exactly once; with conditional writes no data object is
     * ever replaced; A says once that it is fenced and commits nothing.
     */
    @ParameterizedTest(name = "{0} conditional writes, zombie PUT lands {1}")
    @CsvSource({"HONOURED, AFTER_TAKEOVER", "HONOURED, AFTER_NEW_OWNER_UPLOADED", "IGNORED, AFTER_TAKEOVER",
            "IGNORED, AFTER_NEW_OWNER_UPLOADED"})
    void aTaskKilledMidUploadKeepsRunningAsAZombieWhileASecondTakesOverAndEveryRecordLandsOnce(Conditions conditions,
                                                                                                Release release) throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(16), conditions);
        List<long[]> input = input(new Random(16));
        String inFlight;
        try (CapturedLog log = new CapturedLog()) {
            SinkWriter a = writer(store);
            assertThat(a.open(tp(0), TOPIC_ID)).isEqualTo(-1);
            deliver(a, input, 0, 200);
            a.flush(clock += FLUSH_DUE);
            deliver(a, input, 200, 400);
            PausedPut upload = store.pauseNextPut(key -> key.endsWith(".parquet"));
            CompletableFuture<Set<TopicPartition>> zombieFlush = flushOnAnotherThread(a);
            inFlight = upload.awaitStarted();

            // A stopped heartbeating: Connect gives the partition to B. A does not know yet.
            SinkWriter b = writer(store);
            long resumeAt = b.open(tp(0), TOPIC_ID);
            assertThat(store.snapshot()).as("B's HEAD missed the file A is uploading").doesNotContainKey(inFlight);
            if (release == Release.AFTER_TAKEOVER) {
                upload.release();
                zombieFlush.get();
            }
            deliverAllAndCommit(b, input, resumeAt);
            if (release == Release.AFTER_NEW_OWNER_UPLOADED) {
                upload.release();
                zombieFlush.get();
            }
            // The zombie still holds records its consumer fetched before the rebalance.
            deliver(a, input, 400, input.size());
            assertThat(a.flush(clock += FLUSH_DUE)).as("kept paused until Connect revokes it").containsExactly(tp(0));
            assertThat(a.safeOffsets()).as("the zombie commits nothing").isEmpty();
            assertThat(log.containing("is fenced")).singleElement().asString()
                    .contains("lake.orders-0 is fenced: generation 2 of connector lake-sink, topic id " + TOPIC_ID)
                    .contains("this task's generation 1");
        }
        assertThat(store.objects).containsKey(inFlight);
        assertExactlyOnce(store, input);
        assertThat(PartitionMarker.fromJson(store.objects.get(MARKER)).generation()).isEqualTo(2);
        if (conditions == Conditions.HONOURED) {
            assertThat(store.overwritten).as("If-None-Match: no data object is ever replaced")
                    .noneMatch(k -> k.endsWith(".parquet"));
        }
    }

    /**
     * The same takeover with conditional writes at random moments: the zombie's held PUT is its
     * marker write or an upload, it is let go after a random share of the new owner's work, and the
     * zombie then runs on its own thread beside the new owner.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void zombiesReleasedAtRandomMomentsNeitherDuplicateNorLoseARecord(long seed) throws Exception {
        Random random = new Random(seed);
        InMemoryObjectStore store = new InMemoryObjectStore(random, Conditions.HONOURED);
        List<long[]> input = input(random);
        SinkWriter a = writer(store);
        a.open(tp(0), TOPIC_ID);
        int firstBatch = 50 + random.nextInt(250);
        int zombieEnd = firstBatch + 40 + random.nextInt(150);
        deliver(a, input, 0, firstBatch);
        a.flush(clock += FLUSH_DUE);
        deliver(a, input, firstBatch, zombieEnd);
        Predicate<String> held = random.nextBoolean() ? MARKER::equals : key -> key.endsWith(".parquet");
        PausedPut put = store.pauseNextPut(held);
        CompletableFuture<Set<TopicPartition>> zombieFlush = flushOnAnotherThread(a);
        put.awaitStarted();

        SinkWriter b = writer(store);
        int next = indexOf(input, b.open(tp(0), TOPIC_ID));
        int releaseAfterBatch = random.nextInt(input.size() / 50 + 1);
        for (int batch = 0; next < input.size(); batch++) {
            if (batch == releaseAfterBatch) {
                put.release();
            }
            int to = Math.min(next + 50, input.size());
            deliver(b, input, next, to);
            b.flush(clock);
            next = to;
        }
        put.release();
        zombieFlush.get();
        commitAll(b, input);
        deliver(a, input, zombieEnd, input.size());
        assertThat(a.flush(clock += FLUSH_DUE)).containsExactly(tp(0));
        assertExactlyOnce(store, input);
        assertThat(store.overwritten).noneMatch(k -> k.endsWith(".parquet"));
    }

    @ParameterizedTest(name = "{0} conditional writes")
    @ValueSource(strings = {"HONOURED", "IGNORED"})
    void aNewerGenerationFencesTheOldWriterWhichSaysSoOnceAndWritesNothingMore(Conditions conditions) throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(3), conditions);
        List<long[]> input = input(new Random(3));
        try (CapturedLog log = new CapturedLog()) {
            SinkWriter a = writer(store);
            a.open(tp(0), TOPIC_ID);
            deliver(a, input, 0, 200);
            a.flush(clock += FLUSH_DUE);
            SinkWriter b = writer(store);
            long resumeAt = b.open(tp(0), TOPIC_ID);
            Map<String, byte[]> atTakeover = store.snapshot();

            deliver(a, input, 200, 400);
            assertThat(a.flush(clock += FLUSH_DUE)).containsExactly(tp(0));
            assertThat(store.snapshot()).as("no upload, and the marker is still B's").containsOnlyKeys(atTakeover.keySet());
            assertThat(store.objects.get(MARKER)).isEqualTo(atTakeover.get(MARKER));
            long[] later = input.get(400);
            assertThat(a.write(tp(0), later[1], later[2], row(V1, later[0], later[2]), 40, clock)).isEqualTo(Outcome.FENCED);
            assertThat(a.safeOffsets()).isEmpty();
            assertThat(log.containing("is fenced")).singleElement().asString()
                    .matches(".*generation 2 of connector lake-sink.*this task's generation 1; this task stops writing it; "
                            + "its \\d+ unfinished files are dropped");

            deliverAllAndCommit(b, input, resumeAt);
        }
        PartitionMarker marker = PartitionMarker.fromJson(store.objects.get(MARKER));
        assertThat(marker.generation()).isEqualTo(2);
        assertThat(marker.owner()).hasValueSatisfying(o -> assertThat(o.topicId()).isEqualTo(TOPIC_ID));
        assertExactlyOnce(store, input);
    }

    /**
     * The topic is deleted and created again (or the connector renamed): the new incarnation's
     * offsets start again at 0 and its files would take the old files' keys. The old marker is
     * ignored with a warning (its safe offset of 200 never skips a record), and the new files are
     * uploaded beside the old ones under suffixed keys; the old objects stay as they were.
     */
    @ParameterizedTest(name = "{0} conditional writes, {1}")
    @CsvSource({"HONOURED, topic recreated", "IGNORED, topic recreated", "HONOURED, connector renamed"})
    void aMarkerOfAnotherOwnerIsIgnoredWithAWarningAndItsRecordsAreWrittenAgainNotSkipped(Conditions conditions,
                                                                                         String change) throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(5), conditions);
        List<long[]> before = oneHour(1_000_000, 200);
        SinkWriter old = writer(store, S3SinkConfig.FLUSH_SIZE, "100");
        old.open(tp(0), TOPIC_ID);
        deliver(old, before, 0, 100);
        old.flush(clock);
        deliver(old, before, 100, 200);
        old.flush(clock);
        assertThat(PartitionMarker.fromJson(store.objects.get(MARKER)).safeOffset()).isEqualTo(100);
        Map<String, byte[]> oldObjects = store.snapshot();

        boolean renamed = change.equals("connector renamed");
        List<long[]> after = oneHour(2_000_000, 200);
        try (CapturedLog log = new CapturedLog()) {
            SinkWriter now = renamed
                    ? writer(store, S3SinkConfig.FLUSH_SIZE, "100", S3SinkConfig.CONNECTOR_NAME, "lake-sink-v2")
                    : writer(store, S3SinkConfig.FLUSH_SIZE, "100");
            assertThat(now.open(tp(0), renamed ? TOPIC_ID : RECREATED_TOPIC_ID)).as("Connect's committed offset stands")
                    .isEqualTo(-1);
            assertThat(deliver(now, after, 0, 200)).containsOnlyKeys(Outcome.WRITTEN);
            commitAll(now, after);
            assertThat(log.containing("belongs to connector lake-sink, topic id " + TOPIC_ID)).singleElement().asString()
                    .startsWith("WARN").contains("its offsets are ignored");
            assertThat(log.containing("holds an object of")).hasSize(2);
        }
        oldObjects.forEach((key, content) -> {
            if (key.endsWith(".parquet")) {
                assertThat(store.objects.get(key)).as(key).isEqualTo(content);
            }
        });
        assertThat(WriterFixture.parquetKeys(store.objects)).hasSize(4)
                .filteredOn(k -> k.matches(".*\\+\\d+\\.[0-9a-f]{8}\\.parquet")).hasSize(2);
        List<long[]> both = new ArrayList<>(before);
        both.addAll(after);
        assertExactlyOnce(store, both);
    }

    /**
     * Upgrade: a marker of the plugin version before fencing (no owner or generation) over objects
     * without owner metadata, one of them never uploaded. The marker is taken as this connector's:
     * records in the objects S3 holds are skipped, the missing file is written again to its key.
     */
    @Test
    void aMarkerFromBeforeFencingIsTakenAsThisConnectorsAndRewrittenAtGenerationOne() throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(7));
        List<long[]> input = oneHour(3_000_000, 40);
        SinkWriter old = writer(store, S3SinkConfig.FLUSH_SIZE, "10");
        old.open(tp(0), TOPIC_ID);
        deliver(old, input, 0, 30);
        old.flush(clock);
        PartitionMarker written = PartitionMarker.fromJson(store.objects.get(MARKER));
        assertThat(written.files()).hasSize(3);
        // As the older plugin left it: format 1 marker, objects without metadata, the last upload lost.
        store.replace(MARKER, new ObjectMapper().writeValueAsBytes(Map.of("safeOffset", 0, "files", written.files())));
        written.files().forEach(f -> store.replace(f.key(), store.objects.get(f.key())));
        String lost = written.files().get(2).key();
        store.delete(lost);

        SinkWriter upgraded = writer(store, S3SinkConfig.FLUSH_SIZE, "10");
        assertThat(upgraded.open(tp(0), TOPIC_ID)).isZero();
        assertThat(deliver(upgraded, input, 0, 40))
                .containsExactlyInAnyOrderEntriesOf(Map.of(Outcome.ALREADY_IN_S3, 20, Outcome.WRITTEN, 20));
        commitAll(upgraded, input);

        assertThat(store.objects).containsKey(lost);
        assertExactlyOnce(store, input);
        PartitionMarker marker = PartitionMarker.fromJson(store.objects.get(MARKER));
        assertThat(marker.legacy()).isFalse();
        assertThat(marker.format()).isEqualTo(PartitionMarker.FORMAT);
        assertThat(marker.generation()).isEqualTo(1);
        assertThat(marker.owner()).hasValueSatisfying(o -> assertThat(o.connector()).isEqualTo(CONNECTOR));
    }

    @ParameterizedTest(name = "{0} store, s3.conditional.writes={1}")
    @CsvSource({"HONOURED, auto, fenced by compare-and-swap", "IGNORED, auto, are not honoured by this store",
            "REFUSED, auto, are not honoured by this store", "HONOURED, off, are off", "HONOURED, required, compare-and-swap"})
    void conditionalWritesAreProbedOncePerTaskAndTheFallbackIsNamed(Conditions conditions, String mode, String logged)
            throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(9), conditions);
        try (CapturedLog log = new CapturedLog()) {
            SinkWriter writer = writer(store, S3SinkConfig.S3_CONDITIONAL_WRITES, mode);
            writer.open(tp(0), TOPIC_ID);
            writer.open(tp(1), TOPIC_ID);
            assertThat(log.containing("conditional writes")).singleElement().asString().contains(logged);
        }
        assertThat(store.objects.containsKey("warehouse/_tributary/probe/lake-sink.json")).as("probed")
                .isEqualTo(!mode.equals("off") && conditions != Conditions.REFUSED);
    }

    @Test
    void requiredConditionalWritesRefuseAStoreThatIgnoresThem() throws IOException {
        SinkWriter writer = writer(new InMemoryObjectStore(new Random(9), Conditions.IGNORED),
                S3SinkConfig.S3_CONDITIONAL_WRITES, "required");
        assertThatThrownBy(() -> writer.open(tp(0), TOPIC_ID)).isInstanceOf(IOException.class)
                .hasMessageContaining("does not honour S3 conditional writes")
                .hasMessageContaining("s3.conditional.writes=required");
    }

    /**
     * The window the fallback leaves open (README, "Stores without conditional writes"): A checked
     * the marker, then its marker write lands after B's claim and overwrites it. A's own re-read
     * then shows its version, so it uploads its batch. B notices at its next write and says so; A
     * is fenced at its next check. Nothing is lost, but records of A's batch may be in S3 twice.
     */
    @Test
    void withoutConditionalWritesAZombieMarkerWriteAcrossTheTakeoverIsReportedAndTheZombieStopsAtItsNextCheck()
            throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(11), Conditions.IGNORED);
        List<long[]> input = input(new Random(11));
        try (CapturedLog log = new CapturedLog()) {
            SinkWriter a = writer(store);
            a.open(tp(0), TOPIC_ID);
            deliver(a, input, 0, 200);
            a.flush(clock += FLUSH_DUE);
            deliver(a, input, 200, 400);
            PausedPut markerWrite = store.pauseNextPut(MARKER::equals);
            CompletableFuture<Set<TopicPartition>> zombieFlush = flushOnAnotherThread(a);
            markerWrite.awaitStarted();
            SinkWriter b = writer(store);
            long resumeAt = b.open(tp(0), TOPIC_ID);
            markerWrite.release();
            assertThat(zombieFlush.get()).as("A's checks pass: the marker holds its own version").isEmpty();

            deliverAllAndCommit(b, input, resumeAt);
            assertThat(log.containing("was overwritten by an older writer")).isNotEmpty()
                    .allSatisfy(l -> assertThat(l).startsWith("WARN").contains("generation 1"));
            deliver(a, input, 400, input.size());
            assertThat(a.flush(clock += FLUSH_DUE)).containsExactly(tp(0));
            assertThat(log.containing("is fenced")).hasSize(1);
        }
        Map<Long, Integer> counts = new WriterFixture(dir).idCounts(store.snapshot());
        assertThat(counts.keySet()).as("nothing lost").isEqualTo(onceEach(input).keySet());
        long zombieBatchEnd = input.get(400)[1];
        counts.forEach((id, n) -> assertThat(n == 1 || n == 2 && id < zombieBatchEnd)
                .as("record %d is %d times in S3; only records of A's last batch may be there twice", id, n).isTrue());
    }

    /**
     * A writer whose files close only on the wall-clock flush (unless overridden), so file boundaries
     * depend on timing and two writers of the same records name their files alike only by design.
     */
    private SinkWriter writer(InMemoryObjectStore store, String... overrides) throws IOException {
        List<String> settings = new ArrayList<>(List.of(S3SinkConfig.FLUSH_SIZE, "100000",
                S3SinkConfig.ROTATE_SCHEDULE_INTERVAL_MS, String.valueOf(FLUSH_DUE / 2)));
        settings.addAll(List.of(overrides));
        return new WriterFixture(dir).writer(store, settings.toArray(String[]::new));
    }

    /**
     * 600 records over four event hours: an hour's records span the zombie's last batch and the new
     * owner's, so the two name their files of that hour alike only when the new owner writes the
     * zombie's in-flight files again by design.
     */
    private static List<long[]> input(Random random) {
        return WriterFixture.records(random, 1, RECORDS, 4).get(0);
    }

    /** {@code count} records of one partition, offsets 0.., all in the hour of T0; ids start at {@code firstId}. */
    private static List<long[]> oneHour(long firstId, int count) {
        List<long[]> records = new ArrayList<>();
        for (int offset = 0; offset < count; offset++) {
            records.add(new long[] {firstId + offset, offset, T0 + offset});
        }
        return records;
    }

    /** Delivers records {@code from..to-1} of partition 0; returns how many had each outcome. */
    private Map<Outcome, Integer> deliver(SinkWriter writer, List<long[]> input, int from, int to) throws IOException {
        Map<Outcome, Integer> outcomes = new TreeMap<>();
        for (int i = from; i < to; i++) {
            long[] rec = input.get(i);
            outcomes.merge(writer.write(tp(0), rec[1], rec[2], row(V1, rec[0], rec[2]), 40, clock++), 1, Integer::sum);
        }
        return outcomes;
    }

    /** Delivers everything from the resume offset in batches, flushing after each, then flushes until all is committed. */
    private void deliverAllAndCommit(SinkWriter writer, List<long[]> input, long resumeAt) throws IOException {
        for (int i = indexOf(input, resumeAt); i < input.size(); i += 50) {
            deliver(writer, input, i, Math.min(i + 50, input.size()));
            writer.flush(clock);
        }
        commitAll(writer, input);
    }

    private void commitAll(SinkWriter writer, List<long[]> input) throws IOException {
        long end = input.get(input.size() - 1)[1] + 1;
        for (int tick = 0; writer.safeOffsets().getOrDefault(tp(0), -1L) != end; tick++) {
            assertThat(tick).as("everything committed within a few flushes").isLessThan(20);
            writer.flush(clock += FLUSH_DUE);
        }
    }

    private CompletableFuture<Set<TopicPartition>> flushOnAnotherThread(SinkWriter zombie) {
        long at = clock += FLUSH_DUE;
        return CompletableFuture.supplyAsync(() -> {
            try {
                return zombie.flush(at);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The index of the first record at or after {@code offset} (-1: from the start). */
    private static int indexOf(List<long[]> input, long offset) {
        int i = 0;
        while (i < input.size() && input.get(i)[1] < offset) {
            i++;
        }
        return i;
    }

    private static Map<Long, Integer> onceEach(List<long[]> input) {
        Map<Long, Integer> expected = new HashMap<>();
        input.forEach(rec -> expected.put(rec[0], 1));
        return new TreeMap<>(expected);
    }

    private void assertExactlyOnce(InMemoryObjectStore store, List<long[]> input) throws IOException {
        assertThat(new WriterFixture(dir).idCounts(store.snapshot())).isEqualTo(onceEach(input));
    }
}
