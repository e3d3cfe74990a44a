package io.tributary.connect.s3.writer;

import static io.tributary.connect.s3.writer.TakeoverDriver.input;
import static io.tributary.connect.s3.writer.TakeoverDriver.oneHour;
import static io.tributary.connect.s3.writer.WriterFixture.CONNECTOR;
import static io.tributary.connect.s3.writer.WriterFixture.MARKER;
import static io.tributary.connect.s3.writer.WriterFixture.RECREATED_TOPIC_ID;
import static io.tributary.connect.s3.writer.WriterFixture.TOPIC_ID;
import static io.tributary.connect.s3.writer.WriterFixture.V1;
import static io.tributary.connect.s3.writer.WriterFixture.row;
import static io.tributary.connect.s3.writer.WriterFixture.tp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.connect.s3.writer.TopicPartitionWriter.Outcome;
import io.tributary.lake.marker.PartitionMarker;
import io.tributary.lake.store.InMemoryObjectStore.Conditions;
import io.tributary.lake.store.InMemoryObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whose marker it is: a newer generation fences the older writer; a marker of another topic id or
 * connector never skips a record; a marker from before fencing is adopted; the store's conditional
 * writes are probed and the fallback named. Every test reads the objects back.
 */
class MarkerOwnershipTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} conditional writes")
    @ValueSource(strings = {"HONOURED", "IGNORED"})
    void aNewerGenerationFencesTheOldWriterWhichSaysSoOnceAndWritesNothingMore(Conditions conditions) throws IOException {
        TakeoverDriver connect = new TakeoverDriver(dir);
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(3), conditions);
        List<long[]> input = input(new Random(3));
        try (CapturedLog log = new CapturedLog()) {
            SinkWriter a = connect.taskThatUploaded(store, input, 200);
            SinkWriter b = connect.task(store);
            long resumeAt = b.open(tp(0), TOPIC_ID);
            Map<String, byte[]> atTakeover = store.snapshot();

            connect.deliver(a, input, 200, 400);
            assertThat(a.flush(connect.later())).containsExactly(tp(0));
            assertThat(store.snapshot()).as("no upload, and the marker is still B's").containsOnlyKeys(atTakeover.keySet());
            assertThat(store.objects.get(MARKER)).isEqualTo(atTakeover.get(MARKER));
            long[] later = input.get(400);
            assertThat(a.write(tp(0), later[1], later[2], row(V1, later[0], later[2]), 40, 0)).isEqualTo(Outcome.FENCED);
            assertThat(a.safeOffsets()).isEmpty();
            assertThat(log.containing("is fenced")).singleElement().asString()
                    .matches(".*generation 2 of connector lake-sink.*this task's generation 1; this task stops writing it; "
                            + "its \\d+ unfinished files are dropped");

            connect.deliverAllAndCommit(b, input, resumeAt);
        }
        PartitionMarker marker = PartitionMarker.fromJson(store.objects.get(MARKER));
        assertThat(marker.generation()).isEqualTo(2);
        assertThat(marker.owner()).hasValueSatisfying(o -> assertThat(o.topicId()).isEqualTo(TOPIC_ID));
        connect.assertExactlyOnce(store, input);
    }

    /**
     * The topic is deleted and created again (or the connector renamed): the new incarnation's
     * offsets start again at 0 and its files would take the old files' keys. The old marker is
     * ignored with a warning (its safe offset of 100 never skips a record), and the new files are
     * uploaded beside the old ones under suffixed keys; the old objects stay as they were.
     */
    @ParameterizedTest(name = "{0} conditional writes, {1}")
    @CsvSource({"HONOURED, topic recreated", "IGNORED, topic recreated", "HONOURED, connector renamed"})
    void aMarkerOfAnotherOwnerIsIgnoredWithAWarningAndItsRecordsAreWrittenAgainNotSkipped(Conditions conditions,
                                                                                         String change) throws IOException {
        TakeoverDriver connect = new TakeoverDriver(dir);
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(5), conditions);
        List<long[]> before = oneHour(1_000_000, 200);
        SinkWriter old = connect.task(store, S3SinkConfig.FLUSH_SIZE, "100");
        old.open(tp(0), TOPIC_ID);
        connect.deliver(old, before, 0, 100);
        old.flush(0);
        connect.deliver(old, before, 100, 200);
        old.flush(0);
        assertThat(PartitionMarker.fromJson(store.objects.get(MARKER)).safeOffset()).isEqualTo(100);
        Map<String, byte[]> oldObjects = store.snapshot();

        boolean renamed = change.equals("connector renamed");
        List<long[]> after = oneHour(2_000_000, 200);
        try (CapturedLog log = new CapturedLog()) {
            SinkWriter now = renamed
                    ? connect.task(store, S3SinkConfig.FLUSH_SIZE, "100", S3SinkConfig.CONNECTOR_NAME, "lake-sink-v2")
                    : connect.task(store, S3SinkConfig.FLUSH_SIZE, "100");
            assertThat(now.open(tp(0), renamed ? TOPIC_ID : RECREATED_TOPIC_ID)).as("Connect's committed offset stands")
                    .isEqualTo(-1);
            assertThat(connect.deliver(now, after, 0, 200)).containsOnlyKeys(Outcome.WRITTEN);
            connect.commitAll(now, after);
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
        connect.assertExactlyOnce(store, both);
    }

    /**
     * Upgrade: a marker of the plugin version before fencing (no owner or generation) over objects
     * without owner metadata, one of them never uploaded. The marker is taken as this connector's:
     * records in the objects S3 holds are skipped, the missing file is written again to its key.
     */
    @Test
    void aMarkerFromBeforeFencingIsTakenAsThisConnectorsAndRewrittenAtGenerationOne() throws IOException {
        TakeoverDriver connect = new TakeoverDriver(dir);
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(7));
        List<long[]> input = oneHour(3_000_000, 40);
        SinkWriter old = connect.task(store, S3SinkConfig.FLUSH_SIZE, "10");
        old.open(tp(0), TOPIC_ID);
        connect.deliver(old, input, 0, 30);
        old.flush(0);
        PartitionMarker written = PartitionMarker.fromJson(store.objects.get(MARKER));
        assertThat(written.files()).hasSize(3);
        // As the older plugin left it: format 1 marker, objects without metadata, the last upload lost.
        store.replace(MARKER, new ObjectMapper().writeValueAsBytes(Map.of("safeOffset", 0, "files", written.files())));
        written.files().forEach(f -> store.replace(f.key(), store.objects.get(f.key())));
        String lost = written.files().get(2).key();
        store.remove(lost);

        SinkWriter upgraded = connect.task(store, S3SinkConfig.FLUSH_SIZE, "10");
        assertThat(upgraded.open(tp(0), TOPIC_ID)).isZero();
        assertThat(connect.deliver(upgraded, input, 0, 40))
                .containsExactlyInAnyOrderEntriesOf(Map.of(Outcome.ALREADY_IN_S3, 20, Outcome.WRITTEN, 20));
        connect.commitAll(upgraded, input);

        assertThat(store.objects).containsKey(lost);
        connect.assertExactlyOnce(store, input);
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
            SinkWriter writer = new TakeoverDriver(dir).task(store, S3SinkConfig.S3_CONDITIONAL_WRITES, mode);
            writer.open(tp(0), TOPIC_ID);
            writer.open(tp(1), TOPIC_ID);
            assertThat(log.containing("conditional writes")).singleElement().asString().contains(logged);
        }
        assertThat(store.objects.containsKey("warehouse/_tributary/probe/lake-sink.json")).as("probed")
                .isEqualTo(!mode.equals("off") && conditions != Conditions.REFUSED);
    }

    @Test
    void requiredConditionalWritesRefuseAStoreThatIgnoresThem() throws IOException {
        SinkWriter writer = new TakeoverDriver(dir).task(new InMemoryObjectStore(new Random(9), Conditions.IGNORED),
                S3SinkConfig.S3_CONDITIONAL_WRITES, "required");
        assertThatThrownBy(() -> writer.open(tp(0), TOPIC_ID)).isInstanceOf(IOException.class)
                .hasMessageContaining("does not honour S3 conditional writes")
                .hasMessageContaining("s3.conditional.writes=required");
    }
}
