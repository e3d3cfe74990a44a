package io.tributary.cli.compact;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.lake.LocalLake;
import io.tributary.lake.parquet.ParquetFileWriter;
import io.tributary.lake.store.DirectoryObjectStore;
import io.tributary.lake.store.WriteCondition;
import io.tributary.schemas.lake.LakePath;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.metrics.PipelineMetrics;
import io.tributary.streams.replay.InProcessPipeline;
import io.tributary.streams.replay.InProcessPipeline.Input;
import io.tributary.testing.DebeziumJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The current state of a CDC table equals the source table's final state exactly. A known sequence
 * of inserts, updates (several of one row in one second, where only the binlog position orders them),
 * deletes, a delete and re-insert in one second and a snapshot read is turned into Debezium change
 * events, run through the real CDC topology in process ({@link InProcessPipeline}: the streams app's
 * own builders and serdes) and written as the sink writes them (Parquet files per hour and flush,
 * sink-named keys) into a lake folder. The expected state is the sequence applied to a map (what the
 * database would hold), not MariaDB itself. Then: {@code transactions_current} in DuckDB (the view
 * {@code tributary query} defines, the same SQL as Athena's) equals the final state;
 * {@code transactions_snapshot} built by a compaction pass equals the state at the end of each day;
 * a pass with nothing new changes no snapshot; a late change to the first day rebuilds that day and
 * carries into the next.
 */
class CurrentStateTest {
    private static final String TOPIC = "tributary.shop.transactions";
    private static final Instant DAY1 = Instant.parse("2026-11-03T00:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-04T00:00:00Z");
    private static final LakePath PATHS = new LakePath("lake");

    @TempDir
    Path tmp;

    private final Map<Long, List<String>> database = new TreeMap<>();
    private final List<Input> changes = new ArrayList<>();
    private long position = 1_000;
    private long offset;

    /** Applies a change to the "database" and records the Debezium event it produces. */
    private void change(String op, long id, String status, String amount, Instant committed) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("user_id", "u-" + id);
        row.put("source_type_id", id % 3);
        row.put("amount", DebeziumJson.decimal(amount, 2));
        row.put("currency", "JPY");
        row.put("status", status);
        row.put("created_at", DAY1.toEpochMilli() + id * 1000);
        if (op.equals("d")) {
            database.remove(id);
        } else {
            database.put(id, List.of(String.valueOf(id), "u-" + id, String.valueOf(id % 3), amount, "JPY", status,
                    String.valueOf(DAY1.toEpochMilli() + id * 1000)));
        }
        position += 100;
        changes.add(new Input(TOPIC, 0, offset++, committed.toEpochMilli(), DebeziumJson.key(id),
                DebeziumJson.change("transactions", op, DebeziumJson.TRANSACTIONS, row, committed.toEpochMilli(),
                        new DebeziumJson.Position(1, position, 0)), null));
    }

    private Map<Long, List<String>> day1Sequence() {
        Instant t = DAY1.plus(Duration.ofHours(10));
        change("r", 8, "imported", "80.00", t.minusSeconds(3600));
        for (long id = 1; id <= 6; id++) {
            change("c", id, "pending", id + "0.00", t);
        }
        // Three updates of one row in one second: only the binlog position says which is last.
        Instant second = t.plusSeconds(5);
        change("u", 2, "paid", "20.00", second);
        change("u", 2, "refunded", "20.00", second);
        change("u", 2, "chargeback", "19.50", second);
        change("d", 3, "pending", "30.00", t.plusSeconds(7));
        change("u", 4, "late-day1", "40.00", DAY2.minusSeconds(1));
        return new TreeMap<>(database);
    }

    private void day2Sequence() {
        change("u", 4, "day2", "41.00", DAY2);
        Instant t = DAY2.plus(Duration.ofHours(9));
        change("d", 1, "pending", "10.00", t);
        change("c", 3, "again", "33.00", t); // a deleted key inserted again
        change("c", 7, "pending", "70.00", t.plusSeconds(1));
        change("u", 7, "paid", "70.00", t.plusSeconds(1));
        change("u", 7, "shipped", "71.00", t.plusSeconds(1));
        change("d", 6, "pending", "60.00", t.plusSeconds(2)); // deleted and re-inserted in one second
        change("c", 6, "reborn", "66.00", t.plusSeconds(2));
        change("d", 5, "pending", "50.00", DAY2.plus(Duration.ofHours(23)));
    }

    /** The changes through the real CDC topology, written as the sink writes them: files of at most 3 rows per hour. */
    private void deliver(DirectoryObjectStore store, List<Input> inputs, String registry) throws Exception {
        Map<String, Object> props = new HashMap<>(Map.of(PipelineConfig.BOOTSTRAP_SERVERS, "unused:9092",
                PipelineConfig.SCHEMA_REGISTRY_URL, registry, PipelineConfig.CDC_TOPICS, TOPIC));
        Map<LakePath.HourPartition, List<InProcessPipeline.Row>> byHour = new TreeMap<>();
        try (InProcessPipeline pipeline = InProcessPipeline.of(new PipelineConfig(props), "transactions",
                Files.createTempDirectory(tmp, "state"), PipelineMetrics.discarding())) {
            for (Input input : inputs) {
                InProcessPipeline.Output out = pipeline.process(input);
                assertThat(out.deadLetters()).as("nothing dead-lettered").isEmpty();
                assertThat(out.rows()).hasSize(1);
                out.rows().forEach(r -> byHour.computeIfAbsent(LakePath.hourOf(r.time()), h -> new ArrayList<>()).add(r));
            }
        }
        for (Map.Entry<LakePath.HourPartition, List<InProcessPipeline.Row>> hour : byHour.entrySet()) {
            List<InProcessPipeline.Row> rows = hour.getValue();
            for (int from = 0; from < rows.size(); from += 3) {
                List<InProcessPipeline.Row> flush = rows.subList(from, Math.min(rows.size(), from + 3));
                Path file = tmp.resolve(UUID.randomUUID() + ".parquet");
                GenericRecord first = flush.get(0).row();
                try (ParquetFileWriter writer = new ParquetFileWriter(file, first.getSchema(), "snappy", 1 << 20, 64 << 10)) {
                    for (InProcessPipeline.Row row : flush) {
                        writer.write(row.row());
                    }
                }
                long start = offset++ * 100;
                store.upload(file, PATHS.file("transactions", hour.getKey(), "lake.transactions", 0, start, start + flush.size() - 1),
                        Map.of(), WriteCondition.ABSENT);
            }
        }
    }

    private static Map<Long, List<String>> rows(Path lake, String from) throws Exception {
        Map<Long, List<String>> out = new TreeMap<>();
        try (LocalLake local = LocalLake.over(lake, "lake"); Statement st = local.connection().createStatement();
             ResultSet r = st.executeQuery("SELECT id, user_id, source_type_id, CAST(amount AS VARCHAR), currency, status, "
                     + "epoch_ms(created_at) FROM " + from)) {
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= 7; i++) {
                    row.add(r.getString(i));
                }
                assertThat(out.put(r.getLong(1), row)).as("one row per key").isNull();
            }
        }
        return out;
    }

    @Test
    void currentViewAndDailySnapshotsEqualTheSourceTablesState() throws Exception {
        Path bucket = tmp.resolve("bucket");
        DirectoryObjectStore store = new DirectoryObjectStore(bucket);
        String registry = "mock://" + UUID.randomUUID();
        Map<Long, List<String>> endOfDay1 = day1Sequence();
        day2Sequence();
        deliver(store, changes, registry);
        assertThat(database).containsOnlyKeys(2L, 3L, 4L, 6L, 7L, 8L);
        assertThat(database.get(2L)).contains("chargeback", "19.50");

        assertThat(rows(bucket, "transactions_current")).isEqualTo(database);

        Instant now = Instant.parse("2026-11-05T01:00:00Z");
        Compactor compactor = new Compactor(store, PATHS, tmp.resolve("work"), new Compactor.Settings(128 << 20, Duration.ofMinutes(10),
                Duration.ofDays(3), Duration.ofMinutes(2), Duration.ofHours(1)), Clock.fixed(now, ZoneOffset.UTC));
        Compactor.Pass first = compactor.pass(List.of("transactions"));
        assertThat(first.snapshotDays()).isEqualTo(2);
        assertThat(rows(bucket, "transactions_snapshot WHERE dt = '2026-11-03'")).isEqualTo(endOfDay1);
        assertThat(rows(bucket, "transactions_snapshot WHERE dt = '2026-11-04'")).isEqualTo(database);
        assertThat(rows(bucket, "transactions_current")).as("compaction changes no state").isEqualTo(database);
        Map<String, byte[]> built = snapshotObjects(bucket);
        assertThat(built.keySet()).hasSize(2).allMatch(k -> k.matches("lake/transactions_snapshot/dt=2026-11-0[34]/s-[0-9a-f]{32}\\.parquet"));

        assertThat(compactor.pass(List.of("transactions")).snapshotDays()).as("nothing new: nothing rebuilt").isZero();
        assertThat(snapshotObjects(bucket)).containsOnlyKeys(built.keySet());

        // A late change of day 1 (within the horizon): day 1 is rebuilt and day 2 carries it.
        changes.clear();
        change("u", 8, "corrected", "88.00", DAY1.plus(Duration.ofHours(20)));
        endOfDay1.put(8L, database.get(8L));
        deliver(store, changes, registry);
        assertThat(compactor.pass(List.of("transactions")).snapshotDays()).isEqualTo(2);
        assertThat(rows(bucket, "transactions_snapshot WHERE dt = '2026-11-03'")).isEqualTo(endOfDay1);
        assertThat(rows(bucket, "transactions_snapshot WHERE dt = '2026-11-04'")).isEqualTo(database).containsEntry(8L,
                List.of("8", "u-8", "2", "88.00", "JPY", "corrected", String.valueOf(DAY1.toEpochMilli() + 8000)));
        assertThat(rows(bucket, "transactions_current")).isEqualTo(database);
        assertThat(snapshotObjects(bucket)).hasSize(2).doesNotContainKeys(built.keySet().toArray(String[]::new));
    }

    private static Map<String, byte[]> snapshotObjects(Path bucket) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        Path root = bucket.resolve("lake/transactions_snapshot");
        try (var files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(bucket.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }
}
