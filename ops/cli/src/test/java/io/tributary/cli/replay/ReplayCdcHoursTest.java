package io.tributary.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay of a CDC table over the raw archive: the changes of the hour go through the live CDC
 * topology again (its de-duplication drops Debezium's re-send, the hour before warms up the
 * positions so that a second change of a row at one binlog position keeps its sequence number),
 * each change ends as one row (identity: key + {@code _source_pos}) with the new PII rule, the live
 * rows written after the cut stay, and a second run changes no object. Only S3 is in memory.
 */
class ReplayCdcHoursTest {
    private static final String TOPIC = "tributary.shop.masters";
    private static final HourPartition HOUR = new HourPartition("2026-11-05", "03");
    private static final HourPartition BEFORE = LakePath.hourOf(HOUR.startMillis() - 3_600_000);
    private static final Instant T = Instant.ofEpochMilli(HOUR.startMillis());

    private final InMemoryObjectStore store = new InMemoryObjectStore(new java.util.Random(11));
    private Instant now = Instant.parse("2026-11-06T00:00:00Z");

    {
        store.clock(() -> now);
    }
    private final LakePath lake = new LakePath("lake");
    private final String registry = "mock://" + UUID.randomUUID();
    private final List<Input> changes = new ArrayList<>();

    @TempDir
    Path tmp;
    private TestLakeObjects objects;

    @BeforeEach
    void objects() {
        objects = new TestLakeObjects(store, tmp);
    }

    private PipelineConfig config(boolean hashName) {
        Map<String, Object> props = new HashMap<>(Map.of(
                PipelineConfig.BOOTSTRAP_SERVERS, "unused:9092",
                PipelineConfig.SCHEMA_REGISTRY_URL, registry,
                PipelineConfig.CDC_TOPICS, TOPIC,
                PipelineConfig.PII_SALT, "test-salt"));
        if (hashName) {
            props.put(PipelineConfig.CDC_PII_HASH, "masters.display_name");
        }
        return new PipelineConfig(props);
    }

    /** A change at a binlog position, committed at {@code committed}, at the next offset of partition 0. */
    private Input change(String op, long id, String name, Instant committed, long position) {
        Input in = new Input(TOPIC, 0, changes.size(), committed.toEpochMilli() + 20, DebeziumJson.key(id),
                DebeziumJson.change("masters", op, DebeziumJson.MASTERS, DebeziumJson.master(id, "c" + id, name, "k"),
                        committed.toEpochMilli(), new DebeziumJson.Position(1, position, 0)), null);
        changes.add(in);
        return in;
    }

    /** The source records: a transaction across the hour boundary, then changes of the hour, one re-sent by Debezium. */
    private void history() {
        change("c", 1, "One", T.minusSeconds(2), 1000); // the transaction's first change of row 1, the hour before
        change("u", 1, "One again", T.plusSeconds(1), 1000); // same transaction, same position: sequence 1
        for (long id = 2; id <= 6; id++) {
            change("c", id, "Name " + id, T.plusSeconds(60 * id), 2000 + id * 100);
        }
        change("u", 3, "Three", T.plusSeconds(900), 3000);
        change("d", 4, "Name 4", T.plusSeconds(901), 3100);
        Input resent = changes.get(4); // Debezium's worker died: it sends row 4's insert again
        changes.add(new Input(TOPIC, 0, changes.size(), resent.timestamp() + 5000, resent.key(), resent.value(), null));
    }

    /** What the live app wrote for {@code inputs} (old configuration, state from everything before), as a sink file. */
    private void liveFile(int from, int to) throws IOException {
        List<GenericRecord> rows = new ArrayList<>();
        try (InProcessPipeline live = InProcessPipeline.of(config(false), "masters", Files.createTempDirectory(tmp, "live"),
                PipelineMetrics.discarding())) {
            for (int i = 0; i < to; i++) {
                InProcessPipeline.Output out = live.process(changes.get(i));
                if (i >= from) {
                    out.rows().stream().filter(r -> LakePath.hourOf(r.time()).equals(HOUR)).forEach(r -> rows.add(r.row()));
                }
            }
        }
        if (!rows.isEmpty()) {
            upload(rows, lake.folder("masters", HOUR) + "lake.masters+0+" + from + "+" + (to - 1) + ".parquet");
        }
    }

    private void archive(HourPartition hour, List<Input> inputs) throws IOException {
        objects.archive(lake, TOPIC, hour, inputs, "source.ts_ms");
    }

    private void upload(List<GenericRecord> rows, String key) throws IOException {
        objects.upload(rows, key);
    }

    private String replay(Instant tCut, Instant tW, long cut) throws IOException {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        Path work = Files.createTempDirectory(tmp, "replay");
        HourRange range = new HourRange(HOUR, HOUR.next());
        RowIdentity identity = RowIdentity.cdc();
        try (ArchiveSource source = new ArchiveSource(store, lake, TOPIC, Map.of(0, cut), work.resolve("archive"), null);
             InProcessPipeline pipeline = InProcessPipeline.of(config(true), "masters", work.resolve("state"),
                     PipelineMetrics.discarding())) {
            HourReplayer replayer = new HourReplayer(List.of(pipeline), identity, work, out);
            assertThat(replayer.warmUp(BEFORE, source)).isEqualTo(1);
            List<HourReplayer.HourRead> reads = replayer.read(range, source);
            HourRewrite rewrite = new HourRewrite(store, work.resolve("rewrite"), identity, tCut, tW, false);
            new HourSwaps(store, lake, "masters", "test", rewrite, replayer, work, Duration.ZERO).swap(range, reads, 1, out).print(out);
        }
        return text.toString();
    }

    private Map<String, String> hourObjects() throws IOException {
        return objects.etags(lake.folder("masters", HOUR));
    }

    private List<GenericRecord> hourRows() throws IOException {
        return objects.rows(lake.folder("masters", HOUR));
    }

    @Test
    void replaysEachChangeOnceWithTheNewRuleKeepsLiveRowsAfterTheCutAndIsIdempotent() throws IOException {
        history();
        int cut = changes.size();
        change("u", 5, "Late five", T.plusSeconds(1800), 4000); // live changes above the cut
        change("u", 6, "Late six", T.plusSeconds(1801), 4100);
        archive(BEFORE, changes.subList(0, 1));
        archive(HOUR, changes.subList(1, cut));
        liveFile(1, 5);
        liveFile(5, cut);
        Instant tCut = now.plusSeconds(5);
        Instant tW = tCut.plusSeconds(5);
        now = now.plusSeconds(20);
        liveFile(cut, changes.size());

        String first = replay(tCut, tW, cut);

        List<GenericRecord> rows = hourRows();
        // 9 records below the cut in the hour, one of them a re-send, + 2 live changes above it.
        assertThat(rows).hasSize(10);
        assertThat(rows.stream().map(r -> r.get("id") + "@" + r.get("_source_pos")).distinct()).hasSize(10);
        assertThat(rows.stream().filter(r -> r.get("id").equals(1L)).map(r -> r.get("_source_pos").toString()))
                .containsExactly("0000000001-00000000000000001000-0000000000-00001");
        for (GenericRecord r : rows) {
            String name = r.get("display_name").toString();
            boolean late = name.startsWith("Late");
            assertThat(name.length() == 64).as("%s hashed", name).isEqualTo(!late);
        }
        assertThat(first).contains("warm-up: 1 changes of " + BEFORE)
                .contains("1 of 1 hours replaced, 0 unchanged, 0 refused; 9 records read, 0 dead letters")
                .containsPattern("2026-11-05T03 +9 +10 +10 +2 +1 +0  replaced");

        Map<String, String> after = hourObjects();
        now = now.plusSeconds(60);
        String second = replay(tCut, tW, cut);
        assertThat(hourObjects()).isEqualTo(after);
        assertThat(second).contains("0 of 1 hours replaced, 1 unchanged, 0 refused");
    }

    @Test
    void withoutTheHourBeforeTheSecondChangeAtAPositionIsNotCoveredAndTheHourIsRefused() throws IOException {
        history();
        archive(HOUR, changes.subList(1, changes.size())); // the archive lacks the hour before
        liveFile(1, changes.size());
        Map<String, String> before = hourObjects();
        Instant tCut = now.plusSeconds(5);
        now = now.plusSeconds(20);
        StringWriter text = new StringWriter();
        Path work = Files.createTempDirectory(tmp, "replay");
        HourRange range = new HourRange(HOUR, HOUR.next());
        RowIdentity identity = RowIdentity.cdc();
        try (ArchiveSource source = new ArchiveSource(store, lake, TOPIC, Map.of(0, (long) changes.size()), work.resolve("archive"), null);
             InProcessPipeline pipeline = InProcessPipeline.of(config(true), "masters", work.resolve("state"),
                     PipelineMetrics.discarding())) {
            HourReplayer replayer = new HourReplayer(List.of(pipeline), identity, work, new PrintWriter(text));
            assertThat(replayer.warmUp(BEFORE, source)).isZero();
            HourRewrite rewrite = new HourRewrite(store, work.resolve("rewrite"), identity, tCut, tCut.plusSeconds(5), false);
            new HourSwaps(store, lake, "masters", "test", rewrite, replayer, work, Duration.ZERO)
                    .swap(range, replayer.read(range, source), 1, new PrintWriter(text)).print(new PrintWriter(text));
        }
        assertThat(text.toString()).contains("refused: 1 old rows have no source record in the replay, e.g. 1\u0000"
                + "0000000001-00000000000000001000-0000000000-00001");
        assertThat(hourObjects()).isEqualTo(before);
    }

    @Test
    void aDeadLetteredChangeNamesTheRowItHadWithItsSequenceNumber() throws IOException {
        Input first = change("c", 1, "One", T, 1000);
        // The second change of row 1 in the same transaction, refused (a change of another table on this topic).
        Input refused = new Input(TOPIC, 0, 1, T.toEpochMilli(), DebeziumJson.key(1), DebeziumJson.change("other", "u",
                DebeziumJson.MASTERS, DebeziumJson.master(1, "c1", "One again", "k"), T.toEpochMilli(),
                new DebeziumJson.Position(1, 1000, 0)), null);
        RowIdentity identity = RowIdentity.cdc();
        try (InProcessPipeline pipeline = InProcessPipeline.of(config(false), "masters", tmp.resolve("state"),
                PipelineMetrics.discarding())) {
            String pos = "0000000001-00000000000000001000-0000000000-0000";
            assertThat(identity.produced(first, null, pipeline.process(first), pipeline)).containsExactly("1\u0000" + pos + "0");
            InProcessPipeline.Output out = pipeline.process(refused);
            assertThat(out.rows()).isEmpty();
            assertThat(out.deadLetters()).hasSize(1);
            assertThat(identity.produced(refused, null, out, pipeline)).containsExactly("1\u0000" + pos + "1");
            Input resent = new Input(TOPIC, 0, 2, T.toEpochMilli(), first.key(), first.value(), null);
            assertThat(identity.produced(resent, null, pipeline.process(resent), pipeline)).as("a re-send accounts for no row").isEmpty();
        }
    }
}
