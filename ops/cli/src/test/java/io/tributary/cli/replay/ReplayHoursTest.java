package io.tributary.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.lake.marker.Owner;
import io.tributary.lake.marker.PartitionMarker;
import io.tributary.lake.store.InMemoryObjectStore;
import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.metrics.PipelineMetrics;
import io.tributary.streams.replay.InProcessPipeline.Input;
import io.tributary.streams.replay.InProcessPipeline;
import io.tributary.testing.DebeziumJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay over the raw archive replaces an hour's rows, does not duplicate them, keeps what the
 * live sink wrote after the cut, carries the new behaviour, and a second identical run changes no
 * object. The stores and the pipeline are real (in-process topology, content-named Parquet files,
 * PartitionSwap); only S3 is in memory.
 */
class ReplayHoursTest {
    private static final String EVENTS = "app.events";
    private static final String MASTERS = "tributary.shop.masters";
    private static final HourPartition HOUR = new HourPartition("2026-11-05", "03");
    private static final Instant T = Instant.ofEpochMilli(HOUR.startMillis());
    private static final String IP = "203.0.113.7";

    private final InMemoryObjectStore store = new InMemoryObjectStore(new java.util.Random(7));
    private Instant now = Instant.parse("2026-11-06T00:00:00Z");

    {
        store.clock(() -> now);
    }
    private final LakePath lake = new LakePath("lake");
    private final String registry = "mock://" + UUID.randomUUID();

    @TempDir
    Path tmp;
    private TestLakeObjects objects;

    @BeforeEach
    void objects() {
        objects = new TestLakeObjects(store, tmp);
    }

    private PipelineConfig config(boolean hashIp) {
        Map<String, Object> props = new HashMap<>(Map.of(
                PipelineConfig.BOOTSTRAP_SERVERS, "unused:9092",
                PipelineConfig.SCHEMA_REGISTRY_URL, registry,
                PipelineConfig.CDC_TOPICS, MASTERS,
                PipelineConfig.LOOKUPS, "source_type",
                "enrichment.source_type.event.field", "source_type_id",
                "enrichment.source_type.table", "masters",
                "enrichment.source_type.key.column", "id",
                "enrichment.source_type.columns", "display_name:source_type_name"));
        props.put(PipelineConfig.PII_SALT, "test-salt");
        if (hashIp) {
            props.put(PipelineConfig.PII_HASH, "user_ip");
        }
        return new PipelineConfig(props);
    }

    private static Input event(int i) {
        Instant time = T.plusSeconds(60L * i);
        String json = "{\"event_id\":\"e-" + i + "\",\"event_time\":\"" + time + "\",\"user\":{\"id\":\"u-" + i + "\",\"ip\":\"" + IP
                + "\"},\"source_type_id\":1}";
        return new Input(EVENTS, 0, i, time.toEpochMilli() + 100, null, json.getBytes(StandardCharsets.UTF_8), null);
    }

    private static Input master() {
        return new Input(MASTERS, 0, 0, T.minusSeconds(3600).toEpochMilli(), DebeziumJson.key(1),
                DebeziumJson.change("masters", "r", DebeziumJson.MASTERS, DebeziumJson.master(1, "web", "Web", "web"),
                        T.minusSeconds(3600).toEpochMilli()), null);
    }

    private static List<Input> twentyEvents() {
        List<Input> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(event(i));
        }
        return events;
    }

    /** The master and {@code events} (of {@link #HOUR}) in the raw archive, where the replays read them; returns the events. */
    private List<Input> archived(List<Input> events) throws IOException {
        archive(MASTERS, LakePath.hourOf(T.minusSeconds(3600).toEpochMilli()), List.of(master()));
        archive(EVENTS, HOUR, events);
        return events;
    }

    /** What the live app wrote: rows of {@code inputs} (old configuration), as a sink file of the hour. */
    private void liveFile(List<Input> inputs, long start, long end) throws IOException {
        List<GenericRecord> rows = new ArrayList<>();
        try (InProcessPipeline live = InProcessPipeline.of(config(false), "app_events", Files.createTempDirectory(tmp, "live"),
                PipelineMetrics.discarding())) {
            live.history(master());
            for (Input in : inputs) {
                live.process(in).rows().forEach(r -> rows.add(r.row()));
            }
        }
        upload(rows, lake.folder("app_events", HOUR) + "lake.app_events+0+" + start + "+" + end + ".parquet");
    }

    private void archive(String topic, HourPartition hour, List<Input> inputs) throws IOException {
        objects.archive(lake, topic, hour, inputs, "event");
    }

    private void upload(List<GenericRecord> rows, String key) throws IOException {
        objects.upload(rows, key);
    }

    private String replay(Instant tCut, Instant tW) throws IOException {
        return replay(tCut, tW, 1, Spool.FILE_ROWS, Duration.ZERO);
    }

    /** @param settleWait how long an hour waits for a live file that predates the catch-up to become final */
    private String replay(Instant tCut, Instant tW, int parallelism, int spoolFileRows, Duration settleWait) throws IOException {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        Path work = Files.createTempDirectory(tmp, "replay");
        HourRange range = new HourRange(HOUR, HOUR.next());
        List<InProcessPipeline> pipelines = new ArrayList<>();
        try (ArchiveSource source = new ArchiveSource(store, lake, EVENTS, Map.of(0, 20L), work.resolve("archive"), RowIdentity.EVENT_ID)) {
            for (int i = 0; i < parallelism; i++) {
                pipelines.add(InProcessPipeline.of(config(true), "app_events", work.resolve("state-" + i), PipelineMetrics.discarding()));
            }
            // Blocks of 3 records: with 2 pipelines the hour's 20 records are shared out and must come back in order.
            HourReplayer replayer = new HourReplayer(pipelines, 3, HourReplayer.OPEN_HOURS, spoolFileRows, RowIdentity.events(), work, out);
            assertThat(replayer.history(source, Map.of(MASTERS, Map.of(0, 1L))).gaps()).isEmpty();
            List<HourReplayer.HourRead> reads = replayer.read(range, source);
            HourRewrite rewrite = new HourRewrite(store, work.resolve("rewrite"), RowIdentity.events(), tCut, tW, false);
            new HourSwaps(store, lake, "app_events", "test", rewrite, replayer, work, settleWait).swap(range, reads, parallelism, out).print(out);
        } finally {
            pipelines.forEach(InProcessPipeline::close);
        }
        return text.toString();
    }

    private Map<String, String> hourObjects() throws IOException {
        return objects.etags(lake.folder("app_events", HOUR));
    }

    private List<GenericRecord> hourRows() throws IOException {
        return objects.rows(lake.folder("app_events", HOUR));
    }

    @Test
    void replaysAnHourOnceKeepsLateLiveRowsAndIsIdempotent() throws IOException {
        List<Input> belowCut = archived(twentyEvents());
        liveFile(belowCut.subList(0, 10), 0, 9);
        liveFile(belowCut.subList(10, 20), 10, 19);
        Instant tCut = now.plusSeconds(5);
        Instant tW = tCut.plusSeconds(5);
        now = now.plusSeconds(20);
        liveFile(List.of(event(20), event(21)), 20, 21); // late rows the live sink wrote after the cut

        String first = replay(tCut, tW);

        List<GenericRecord> rows = hourRows();
        assertThat(rows).hasSize(22);
        assertThat(rows.stream().map(r -> r.get("event_id").toString()).distinct()).hasSize(22);
        for (GenericRecord r : rows) {
            boolean late = r.get("event_id").toString().matches("e-2[01]");
            assertThat(r.get("user_ip").toString()).as("%s", r.get("event_id")).isEqualTo(late ? IP : hashed(r));
            assertThat(r.get("source_type_name").toString()).isEqualTo("Web");
        }
        Map<String, String> after = hourObjects();
        assertThat(after.keySet()).containsExactlyInAnyOrder("lake.app_events+0+20+21.parquet",
                after.keySet().stream().filter(n -> n.startsWith("r-")).findFirst().orElseThrow());
        assertThat(first).contains("1 of 1 hours replaced, 0 unchanged, 0 refused; 20 records read, 0 dead letters")
                .containsPattern("2026-11-05T03 +20 +22 +22 +2 +1 +0  replaced");

        now = now.plusSeconds(60);
        String second = replay(tCut, tW, 2, Spool.FILE_ROWS, Duration.ZERO); // the same bytes whatever the parallelism
        assertThat(hourObjects()).isEqualTo(after);
        assertThat(second).contains("0 of 1 hours replaced, 1 unchanged, 0 refused; 20 records read")
                .containsPattern("2026-11-05T03 +20 +22 +22 +0 +0 +0  unchanged");
    }

    /**
     * A live file uploaded between the cut and the catch-up that the sink's marker still names may get
     * rows from below the cut: the hour waits until the sink has finished it, then matches every old
     * row afresh (its first look, which ended waiting, takes no identity from the second) and is
     * replaced, not refused.
     */
    @Test
    void anHourWaitsForALiveFileTheSinkStillNamesThenReplacesIt() throws Exception {
        List<Input> belowCut = archived(twentyEvents());
        liveFile(belowCut.subList(0, 10), 0, 9);
        Instant tCut = now.plusSeconds(5);
        now = now.plusSeconds(7);
        liveFile(belowCut.subList(10, 20), 10, 19);
        String open = lake.folder("app_events", HOUR) + "lake.app_events+0+10+19.parquet";
        Owner sink = new Owner("lake-sink", "topic-id");
        store.replace(lake.markerKey("lake.app_events", 0), PartitionMarker.of(sink, 3, "w", 10,
                List.of(new PartitionMarker.FileEntry(open, HOUR.dt(), HOUR.hour(), 10, 19))).toJson());
        now = now.plusSeconds(20);
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            later.schedule(() -> store.replace(lake.markerKey("lake.app_events", 0),
                    PartitionMarker.of(sink, 3, "w", 20, List.of()).toJson()), 1, TimeUnit.SECONDS);

            String out = replay(tCut, tCut.plusSeconds(5), 1, Spool.FILE_ROWS, Duration.ofSeconds(30));

            assertThat(out).contains("2026-11-05T03: waiting for the live sink to finish a file uploaded before the catch-up")
                    .containsPattern("2026-11-05T03 +20 +20 +20 +2 +1 +0  replaced");
        } finally {
            later.shutdownNow();
        }
        List<GenericRecord> rows = hourRows();
        assertThat(rows).extracting(r -> r.get("event_id").toString()).doesNotHaveDuplicates().hasSize(20);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("user_ip").toString()).isEqualTo(hashed(r)));
    }

    /**
     * Spool files of 2 rows, so parts of 10: the hour's 20 replayed rows become two lake files, written
     * at the same time, with the same bytes on every run and at any parallelism.
     */
    @Test
    void anHourOfManyRowsBecomesSeveralFilesTheSameOnEveryRun() throws IOException {
        List<Input> belowCut = archived(twentyEvents());
        liveFile(belowCut, 0, 19);
        Instant tCut = now.plusSeconds(5);
        now = now.plusSeconds(20);

        String first = replay(tCut, tCut.plusSeconds(5), 2, 2, Duration.ZERO);

        Map<String, String> after = hourObjects();
        assertThat(after.keySet()).hasSize(2).allMatch(n -> n.startsWith("r-"));
        assertThat(objects.rowCounts(lake.folder("app_events", HOUR)).values()).containsExactly(10L, 10L);
        assertThat(hourRows()).extracting(r -> r.get("event_id").toString()).doesNotHaveDuplicates().hasSize(20);
        assertThat(first).containsPattern("2026-11-05T03 +20 +20 +20 +1 +2 +0  replaced");
        now = now.plusSeconds(60);
        assertThat(replay(tCut, tCut.plusSeconds(5), 1, 2, Duration.ZERO)).containsPattern("2026-11-05T03 +20 +20 +20 +0 +0 +0  unchanged");
        assertThat(hourObjects()).isEqualTo(after);
    }

    /**
     * The same event sent 20 times: with parts of 10 rows both parts have the same bytes, which would
     * be one object under one name and lose 10 rows. The hour is written as one file of all 20.
     */
    @Test
    void partsWithTheSameRowsBecomeOneFileNotOneObjectForBoth() throws IOException {
        List<Input> resent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Input e = event(0);
            resent.add(new Input(e.topic(), e.partition(), i, e.timestamp(), e.key(), e.value(), e.headers()));
        }
        archived(resent);
        liveFile(resent, 0, 19);
        Instant tCut = now.plusSeconds(5);
        now = now.plusSeconds(20);

        String out = replay(tCut, tCut.plusSeconds(5), 2, 2, Duration.ZERO);

        assertThat(objects.rowCounts(lake.folder("app_events", HOUR))).hasSize(1).containsValue(20L);
        assertThat(out).containsPattern("2026-11-05T03 +20 +20 +20 +1 +1 +0  replaced");
    }

    /**
     * A pass over Kafka meets the hours interleaved (partition by partition, each in offset order).
     * With blocks of 2 records over 2 pipelines and one hour's files open at a time (so each hour's
     * files are closed and opened again), every hour's rows, in order, and identities are those of
     * reading the hours one after another with one pipeline.
     */
    @Test
    void hoursReadInterleavedGiveEachHourTheRowsOfReadingItAlone() throws IOException {
        archive(MASTERS, LakePath.hourOf(T.minusSeconds(3600).toEpochMilli()), List.of(master()));
        HourRange range = new HourRange(HOUR, HOUR.next().next().next());
        for (int h = 0; h < 3; h++) {
            List<Input> inputs = new ArrayList<>();
            for (int j = 0; j < 7; j++) {
                inputs.add(event(60 * h + j));
            }
            archive(EVENTS, range.hours().get(h), inputs);
        }
        Map<String, List<String>> alone = spooled(range, archive -> archive, 1, HourReplayer.BLOCK, HourReplayer.OPEN_HOURS);
        Map<String, List<String>> interleaved = spooled(range, InterleavedSource::new, 2, 2, 1);
        assertThat(alone).hasSize(3).allSatisfy((hour, rows) -> assertThat(rows).hasSize(7 + 1));
        assertThat(interleaved).isEqualTo(alone);
    }

    /** Per hour: the spooled rows in order, then the count of identities and records read. */
    private Map<String, List<String>> spooled(HourRange range, java.util.function.UnaryOperator<RawSource> wrap, int parallelism,
            int block, int openHours) throws IOException {
        Path work = Files.createTempDirectory(tmp, "replay");
        List<InProcessPipeline> pipelines = new ArrayList<>();
        Map<String, List<String>> out = new java.util.TreeMap<>();
        try (RawSource source = wrap.apply(new ArchiveSource(store, lake, EVENTS, Map.of(0, 1000L), work.resolve("archive"),
                RowIdentity.EVENT_ID))) {
            for (int i = 0; i < parallelism; i++) {
                pipelines.add(InProcessPipeline.of(config(true), "app_events", work.resolve("state-" + i), PipelineMetrics.discarding()));
            }
            HourReplayer replayer = new HourReplayer(pipelines, block, openHours, Spool.FILE_ROWS, RowIdentity.events(), work,
                    new PrintWriter(new StringWriter()));
            replayer.history(source, Map.of(MASTERS, Map.of(0, 1L)));
            for (HourReplayer.HourRead read : replayer.read(range, source)) {
                List<String> rows = new ArrayList<>();
                for (Spool.Part part : replayer.spool().parts(read.hour(), Integer.MAX_VALUE)) {
                    part.read(row -> rows.add(row.toString()));
                }
                rows.add("identities " + replayer.produced(read.hour()).size() + ", records " + read.records());
                out.put(read.hour().toString(), rows);
            }
        } finally {
            pipelines.forEach(InProcessPipeline::close);
        }
        return out;
    }

    private static String hashed(GenericRecord r) {
        String ip = r.get("user_ip").toString();
        assertThat(ip).isNotEqualTo(IP).hasSize(64);
        return ip;
    }

    @Test
    void aDryRunCountsTheObjectsItWouldReplaceAndTheArchivedRecordsItWouldRead() throws IOException {
        List<Input> archived = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            archived.add(event(i));
        }
        archive(EVENTS, HOUR, archived.subList(0, 12));
        archive(EVENTS, HOUR, archived.subList(12, 20));
        liveFile(archived, 0, 19);
        Map<String, String> before = hourObjects();
        StringWriter text = new StringWriter();
        try (ArchiveSource source = new ArchiveSource(store, lake, EVENTS, Map.of(), tmp.resolve("dry"), RowIdentity.EVENT_ID)) {
            new DryRun(store, lake, "app_events", new PrintWriter(text)).print(new HourRange(HOUR, HOUR.next().next()), source);
        }
        assertThat(text.toString()).containsPattern("2026-11-05T03 +1 ")
                .containsPattern("2026-11-05T04 +0 ")
                .containsPattern("would replace up to 1 objects \\(.+\\) of app_events in 2 hours")
                .containsPattern("would read: 2 archive objects \\(.+\\) under lake/_raw/" + java.util.regex.Pattern.quote(EVENTS)
                        + "/, up to 20 raw records")
                .contains("dry run: nothing was changed");
        assertThat(hourObjects()).isEqualTo(before);
    }

    @Test
    void aMasterHistoryWhoseBeginningWasDeletedIsReportedAsAGap() throws IOException {
        Input kept = master();
        kept = new Input(kept.topic(), 0, 1, kept.timestamp(), kept.key(), kept.value(), null); // offset 0 is gone
        archive(MASTERS, LakePath.hourOf(T.minusSeconds(3600).toEpochMilli()), List.of(kept));
        Path work = Files.createTempDirectory(tmp, "replay");
        try (ArchiveSource source = new ArchiveSource(store, lake, EVENTS, Map.of(0, 20L), work.resolve("archive"), RowIdentity.EVENT_ID);
             InProcessPipeline pipeline = InProcessPipeline.of(config(true), "app_events", work.resolve("state"),
                     PipelineMetrics.discarding())) {
            HourReplayer replayer = new HourReplayer(List.of(pipeline), RowIdentity.events(), work, new PrintWriter(new StringWriter()));
            HourReplayer.History history = replayer.history(source, Map.of(MASTERS, Map.of(0, 2L, 1, 3L)));
            assertThat(history.changes()).isEqualTo(1);
            assertThat(history.gaps()).containsExactly(
                    MASTERS + " partition 0: from offset 1 (" + Instant.ofEpochMilli(kept.timestamp()) + ")",
                    MASTERS + " partition 1: none of its 3 changes");
        }
    }

    @Test
    void anHourWhoseOldRowsLackTheirSourceRecordsIsRefusedAndLeftAsItWas() throws IOException {
        List<Input> archived = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            archived.add(event(i));
        }
        archive(MASTERS, LakePath.hourOf(T.minusSeconds(3600).toEpochMilli()), List.of(master()));
        archive(EVENTS, HOUR, archived.subList(0, 15)); // the archive lost offsets 15..19
        liveFile(archived, 0, 19);
        Map<String, String> before = hourObjects();
        Instant tCut = now.plusSeconds(5);
        now = now.plusSeconds(20);

        String out = replay(tCut, tCut.plusSeconds(5));

        assertThat(out).contains("2026-11-05T03 refused: 5 old rows have no source record in the replay, e.g. e-15 in lake.app_events+0+0+19.parquet")
                .contains("0 of 1 hours replaced, 0 unchanged, 1 refused");
        assertThat(hourObjects()).isEqualTo(before);
        assertThat(hourRows()).hasSize(20);
    }
}
