package io.tributary.cli.compact;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.lake.parquet.ContentNamedFile;
import io.tributary.lake.parquet.ParquetFileWriter;
import io.tributary.lake.store.InMemoryObjectStore;
import io.tributary.lake.swap.FolderSnapshot;
import io.tributary.lake.swap.Finality;
import io.tributary.lake.swap.Heartbeat;
import io.tributary.lake.swap.PartitionRecord.FolderState;
import io.tributary.lake.swap.PartitionSwap;
import io.tributary.lake.swap.Rewriter;
import io.tributary.schemas.lake.PartitionFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a replay's swap the hour's {@code lake_partitions} row and {@code _SUCCESS} marker still
 * count the old rows; {@link DerivedViews#onRowsReplaced} records them again and hands the range
 * to the dashboards' rebuild. An hour not yet closed is left to the compactor.
 */
class DerivedViewsTest {
    private static final String ROW = "lake/lake_partitions/dt=2026-11-05/hour=01/app_events.parquet";

    @TempDir
    Path dir;

    private final InMemoryObjectStore store = new InMemoryObjectStore(new Random(11));

    @Test
    void aReplacedHourIsRecordedAgainAndItsRangeRebuiltForDashboards() throws Exception {
        write(CompactorTest.PATHS.file(CompactorTest.TABLE, CompactorTest.H1, CompactorTest.TOPIC, 0, 0, 9), 10);
        write(CompactorTest.PATHS.file(CompactorTest.TABLE, CompactorTest.H2, CompactorTest.TOPIC, 0, 10, 11), 2); // H2 stays open
        new Compactor(store, CompactorTest.PATHS, dir.resolve("compact"), new Compactor.Settings(128 << 20, Duration.ofMinutes(10),
                Duration.ofDays(1), Duration.ofMinutes(2), Duration.ofHours(1)),
                Clock.fixed(CompactorTest.NOW, ZoneOffset.UTC))
                .pass(List.of(CompactorTest.TABLE));
        assertThat(rows(ROW)).isEqualTo(10L);

        replaceWith(PartitionFolder.hourly(CompactorTest.TABLE, CompactorTest.H1), 7); // a replay: 7 rows now
        assertThat(rows(ROW)).as("stale until refreshed").isEqualTo(10L);

        List<String> asked = new ArrayList<>();
        List<String> done = new DerivedViews(store, CompactorTest.PATHS, dir.resolve("derived"), (table, from, to) -> {
            asked.add(table + " " + Instant.ofEpochMilli(from) + " " + Instant.ofEpochMilli(to));
            return List.of("dashboards: rebuilt");
        }, Clock.systemUTC()).onRowsReplaced(CompactorTest.TABLE, List.of(CompactorTest.H1, CompactorTest.H2));

        assertThat(rows(ROW)).isEqualTo(7L);
        assertThat(new String(store.snapshot().get(CompactorTest.PATHS.successKey(PartitionFolder.hourly(CompactorTest.TABLE,
                CompactorTest.H1))))).contains("\"rows\" : 7");
        assertThat(store.snapshot()).doesNotContainKey("lake/lake_partitions/dt=2026-11-05/hour=02/app_events.parquet");
        assertThat(asked).containsExactly("app_events 2026-11-05T01:00:00Z 2026-11-05T03:00:00Z");
        assertThat(done).containsExactly("lake_partitions: 1 closed hour(s) of app_events recorded again", "dashboards: rebuilt");
    }

    private void write(String key, int rows) throws IOException {
        Path file = dir.resolve("seed-" + rows + ".parquet");
        try (ParquetFileWriter writer = new ParquetFileWriter(file, CompactorTest.V1, "snappy", 1 << 20, 64 << 10)) {
            for (GenericRecord row : records(rows)) {
                writer.write(row);
            }
        }
        store.replace(key, Files.readAllBytes(file));
    }

    private static List<GenericRecord> records(int n) {
        List<GenericRecord> out = new ArrayList<>();
        for (long id = 0; id < n; id++) {
            GenericRecord row = new GenericData.Record(CompactorTest.V1);
            row.put("id", id);
            row.put("event_time", CompactorTest.H1.startMillis() + 60_000);
            out.add(row);
        }
        return out;
    }

    /** What a replay's swap does: the hour's objects replaced by one {@code r-} object, the state otherwise kept. */
    private void replaceWith(PartitionFolder folder, int rows) throws IOException {
        PartitionSwap swap = new PartitionSwap(store, CompactorTest.PATHS, Finality.sinkMarkers(store, CompactorTest.PATHS),
                Duration.ofMinutes(2));
        swap.run(folder, new Rewriter() {
            @Override
            public String kind() {
                return "r";
            }

            @Override
            public Plan plan(FolderSnapshot snapshot, FolderState state, Heartbeat heartbeat) throws IOException {
                try (ContentNamedFile file = new ContentNamedFile(dir.resolve("replay"), CompactorTest.V1)) {
                    for (GenericRecord row : records(rows)) {
                        file.write(row);
                    }
                    return new Plan(snapshot.finals(), List.of(file.finish("r")), List.of(), true, UnaryOperator.identity());
                }
            }
        });
    }

    private long rows(String key) throws IOException {
        Path file = Files.write(Files.createTempFile(dir, "read-", ".parquet"), store.snapshot().get(key));
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withDataModel(GenericData.get()).build()) {
            return (Long) reader.read().get("rows");
        }
    }
}
