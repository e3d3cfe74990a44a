package io.tributary.cli.compact;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.lake.marker.Owner;
import io.tributary.lake.marker.PartitionMarker;
import io.tributary.lake.parquet.ParquetFileWriter;
import io.tributary.lake.store.InMemoryObjectStore;
import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
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
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction passes over an in-memory lake: a closed hour's sink files become one object holding
 * every row once in key order; an hour with a file the sink may still write again is neither merged
 * nor declared complete; an open hour is untouched; a second pass changes nothing; a late file
 * reopens a complete hour and the next pass folds it in; objects of two schemas merge per schema.
 */
class CompactorTest {
    static final LakePath PATHS = new LakePath("lake");
    static final String TABLE = "app_events";
    static final String TOPIC = "lake.app_events";
    static final Schema EVENT_TIME = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    static final Schema V1 = SchemaBuilder.record("Row").fields().requiredLong("id").name("event_time").type(EVENT_TIME).noDefault()
            .endRecord();
    static final Schema V2 = SchemaBuilder.record("Row").fields().requiredLong("id").name("event_time").type(EVENT_TIME).noDefault()
            .optionalString("note").endRecord();
    static final HourPartition H1 = new HourPartition("2026-11-05", "01");
    static final HourPartition H2 = new HourPartition("2026-11-05", "02");
    static final HourPartition H3 = new HourPartition("2026-11-05", "03");
    /** 15 minutes into H3: H1 and H2 are closed with a 10-minute lateness, H3 is open. */
    static final Instant NOW = Instant.parse("2026-11-05T03:15:00Z");

    @TempDir
    Path dir;

    private final InMemoryObjectStore store = new InMemoryObjectStore(new Random(7));
    /** The minute of its hour the rows of the next sink file have as event time. */
    private int eventMinute = 12;

    private Compactor compactor() {
        return new Compactor(store, PATHS, dir.resolve("work"), new Compactor.Settings(128 << 20, Duration.ofMinutes(10),
                Duration.ofDays(1), Duration.ofMinutes(2), Duration.ofHours(1)), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private String sinkFile(HourPartition hour, int partition, long start, long end, Schema schema) throws IOException {
        String key = PATHS.file(TABLE, hour, TOPIC, partition, start, end);
        Path file = dir.resolve("seed-" + partition + "-" + start + ".parquet");
        try (ParquetFileWriter writer = new ParquetFileWriter(file, schema, "snappy", 1 << 20, 64 << 10)) {
            for (long id = start; id <= end; id++) {
                GenericRecord row = new GenericData.Record(schema);
                row.put("id", id);
                row.put("event_time", hour.startMillis() + eventMinute * 60_000L);
                writer.write(row);
            }
        }
        store.replace(key, Files.readAllBytes(file));
        return key;
    }

    private void marker(int partition, long safeOffset, List<PartitionMarker.FileEntry> files) {
        store.replace(PATHS.markerKey(TOPIC, partition),
                PartitionMarker.of(new Owner("lake-sink", "topic-id"), 3, "w", safeOffset, files).toJson());
    }

    private List<GenericRecord> rows(byte[] content) throws IOException {
        Path file = Files.write(Files.createTempFile(dir, "read-", ".parquet"), content);
        List<GenericRecord> rows = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withDataModel(GenericData.get()).build()) {
            for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
                rows.add(row);
            }
        }
        return rows;
    }

    private Map<String, byte[]> folder(HourPartition hour) {
        String prefix = PATHS.folder(TABLE, hour);
        Map<String, byte[]> out = new TreeMap<>(store.snapshot());
        out.keySet().removeIf(k -> !k.startsWith(prefix));
        return out;
    }

    private List<Long> ids(HourPartition hour) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (byte[] content : folder(hour).values()) {
            rows(content).forEach(r -> ids.add((Long) r.get("id")));
        }
        return ids;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void closedHoursAreMergedAndRecordedCompleteOpenOnesAndPendingFilesAreLeftAlone() throws IOException {
        sinkFile(H1, 0, 0, 9, V1);
        sinkFile(H1, 0, 10, 19, V1);
        sinkFile(H1, 0, 20, 24, V1);
        sinkFile(H1, 1, 100, 109, V1);
        sinkFile(H1, 1, 110, 111, V1);
        sinkFile(H2, 0, 25, 29, V1);
        String pending = sinkFile(H2, 1, 112, 115, V1);
        marker(1, 112, List.of(new PartitionMarker.FileEntry(pending, H2.dt(), H2.hour(), 112, 115)));
        sinkFile(H3, 0, 30, 31, V1);
        sinkFile(H3, 0, 32, 33, V1);
        Map<String, byte[]> h2Before = folder(H2);
        Map<String, byte[]> h3Before = folder(H3);

        Compactor.Pass pass = compactor().pass(List.of(TABLE));

        assertThat(pass).isEqualTo(new Compactor.Pass(2, 1, 0, 5, 1, pass.bytesWritten(), 0, 0));
        assertThat(folder(H1).keySet()).singleElement().asString().matches("lake/app_events/dt=2026-11-05/hour=01/c-[0-9a-f]{32}\\.parquet");
        List<Long> expected = new ArrayList<>(range(0, 24));
        expected.addAll(range(100, 111));
        assertThat(ids(H1)).as("every row once, in key order").containsExactlyElementsOf(expected);
        String success = new String(store.snapshot().get("lake/_tributary/complete/app_events/dt=2026-11-05/hour=01/_SUCCESS"));
        assertThat(success).contains("\"rows\" : 37", "\"files\" : 1", "\"closed_at\" : \"2026-11-05T03:15:00Z\"");
        GenericRecord row = rows(store.snapshot().get("lake/lake_partitions/dt=2026-11-05/hour=01/app_events.parquet")).get(0);
        assertThat(row.get("table_name").toString()).isEqualTo(TABLE);
        assertThat(row.get("rows")).isEqualTo(37L);
        assertThat(row.get("files")).isEqualTo(1);
        assertThat(row.get("reopened")).isEqualTo(false);
        assertThat(row.get("closed_at")).isEqualTo(NOW.toEpochMilli());

        assertThat(folder(H2)).as("one final file and one the sink may write again: nothing to merge").isEqualTo(h2Before);
        assertThat(store.snapshot()).doesNotContainKeys(PATHS.successKey(PartitionFolder.hourly(TABLE, H2)),
                "lake/lake_partitions/dt=2026-11-05/hour=02/app_events.parquet");
        assertThat(folder(H3)).as("open hour").isEqualTo(h3Before);
        assertThat(store.snapshot().keySet()).noneMatch(k -> k.contains("/_tributary/staging/") || k.contains("/_tributary/swaps/"));

        // A second pass changes no object of any table, nor the completeness marker.
        Map<String, byte[]> before = visible();
        assertThat(compactor().pass(List.of(TABLE)).compacted()).isZero();
        assertThat(visible()).isEqualTo(before);

        // A late file reopens H1; the next pass folds it in and counts it.
        sinkFile(H1, 0, 40, 41, V1);
        Compactor.Pass late = compactor().pass(List.of(TABLE));
        assertThat(late.compacted()).isEqualTo(1);
        assertThat(late.objectsBefore()).isEqualTo(2);
        expected.addAll(range(40, 41));
        assertThat(folder(H1)).hasSize(1);
        assertThat(ids(H1)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(new String(store.snapshot().get(PATHS.successKey(PartitionFolder.hourly(TABLE, H1))))).contains("\"rows\" : 39");
        assertThat(rows(store.snapshot().get("lake/lake_partitions/dt=2026-11-05/hour=01/app_events.parquet")).get(0).get("rows"))
                .isEqualTo(39L);

        // The sink moves past its file in H2: now it is final, and H2 is merged and complete.
        marker(1, 116, List.of());
        assertThat(compactor().pass(List.of(TABLE)).compacted()).isEqualTo(1);
        assertThat(folder(H2)).hasSize(1);
        assertThat(ids(H2)).containsExactlyElementsOf(List.of(25L, 26L, 27L, 28L, 29L, 112L, 113L, 114L, 115L));
        assertThat(store.snapshot()).containsKey(PATHS.successKey(PartitionFolder.hourly(TABLE, H2)));
    }

    /** CompactionKillIT once killed a compactor after its swap and before it recorded the hour complete. */
    @Test
    void anHourSwappedButNotRecordedCompleteIsRecordedByTheNextPass() throws IOException {
        sinkFile(H1, 0, 0, 9, V1);
        sinkFile(H1, 0, 10, 19, V1);
        compactor().pass(List.of(TABLE));
        String success = PATHS.successKey(PartitionFolder.hourly(TABLE, H1));
        String row = "lake/lake_partitions/dt=2026-11-05/hour=01/app_events.parquet";
        byte[] recordedSuccess = store.snapshot().get(success);
        store.delete(List.of(success, row)); // as if killed right after the swap

        Compactor.Pass pass = compactor().pass(List.of(TABLE));

        assertThat(pass.compacted()).as("nothing to merge again").isZero();
        assertThat(store.snapshot().get(success)).isEqualTo(recordedSuccess);
        assertThat(rows(store.snapshot().get(row)).get(0).get("rows")).isEqualTo(20L);
    }

    @Test
    void objectsOfTwoSchemasAreMergedPerSchemaAndTheSameInputsGiveTheSameObjects() throws IOException {
        sinkFile(H1, 0, 0, 4, V1);
        sinkFile(H1, 0, 5, 9, V2);
        sinkFile(H1, 1, 100, 104, V1);
        sinkFile(H1, 1, 105, 109, V2);
        Compactor.Pass pass = compactor().pass(List.of(TABLE));
        assertThat(pass.objectsBefore()).isEqualTo(4);
        assertThat(pass.objectsAfter()).isEqualTo(2);
        Map<String, byte[]> merged = folder(H1);
        List<Long> v1 = new ArrayList<>();
        List<Long> v2 = new ArrayList<>();
        for (byte[] content : merged.values()) {
            List<GenericRecord> rows = rows(content);
            (rows.get(0).getSchema().getField("note") == null ? v1 : v2).addAll(rows.stream().map(r -> (Long) r.get("id")).toList());
        }
        assertThat(v1).containsExactlyElementsOf(List.of(0L, 1L, 2L, 3L, 4L, 100L, 101L, 102L, 103L, 104L));
        assertThat(v2).containsExactlyElementsOf(List.of(5L, 6L, 7L, 8L, 9L, 105L, 106L, 107L, 108L, 109L));

        // Another lake with the same inputs, compacted by another compactor: the same keys and bytes.
        InMemoryObjectStore first = store;
        CompactorTest other = new CompactorTest();
        other.dir = Files.createDirectories(dir.resolve("other"));
        other.sinkFile(H1, 0, 0, 4, V1);
        other.sinkFile(H1, 0, 5, 9, V2);
        other.sinkFile(H1, 1, 100, 104, V1);
        other.sinkFile(H1, 1, 105, 109, V2);
        other.compactor().pass(List.of(TABLE));
        assertThat(other.folder(H1).keySet()).isEqualTo(merged.keySet());
        assertThat(first).isNotSameAs(other.store);
    }

    /**
     * Hours close by the table's event-time watermark, not by the clock: with rows up to 02:05, H2
     * (ending 03:00) stays open at 03:15 although its end is more than the lateness in the past; H1
     * closes because it ended more than the idle allowance (1 h) ago. Rows at 03:12 then close H2.
     */
    @Test
    void hoursCloseByTheEventTimeWatermarkOrAfterTheIdleAllowance() throws IOException {
        sinkFile(H1, 0, 0, 4, V1);
        sinkFile(H1, 0, 5, 9, V1);
        eventMinute = 5;
        sinkFile(H2, 0, 10, 14, V1);
        sinkFile(H2, 0, 15, 19, V1);
        Compactor.Pass pass = compactor().pass(List.of(TABLE));
        assertThat(pass.closedHours()).isEqualTo(1);
        assertThat(folder(H1)).hasSize(1);
        assertThat(folder(H2)).hasSize(2);
        assertThat(store.snapshot()).doesNotContainKey(PATHS.successKey(PartitionFolder.hourly(TABLE, H2)));

        eventMinute = 12;
        sinkFile(H3, 0, 20, 24, V1);
        Compactor.Pass later = compactor().pass(List.of(TABLE));
        assertThat(later.closedHours()).isEqualTo(2);
        assertThat(later.compacted()).isEqualTo(1);
        assertThat(folder(H2)).hasSize(1);
        assertThat(ids(H2)).containsExactlyElementsOf(range(10, 19));
        assertThat(store.snapshot()).containsKey(PATHS.successKey(PartitionFolder.hourly(TABLE, H2)));
        assertThat(folder(H3)).hasSize(1);
    }

    /**
     * A load known to have ended (the demo's) closes the current hour too: H3's two files merge at
     * 03:15, H2 (open by the watermark) with it; a file that lands later reopens H3 and the next such
     * pass folds it in.
     */
    @Test
    void closingTheCurrentHourMergesItAndALaterFileReopensIt() throws IOException {
        eventMinute = 5;
        sinkFile(H2, 0, 0, 4, V1);
        sinkFile(H2, 1, 0, 4, V1);
        sinkFile(H3, 0, 5, 9, V1);
        sinkFile(H3, 1, 5, 9, V1);
        Compactor closing = new Compactor(store, PATHS, dir.resolve("work"), new Compactor.Settings(128 << 20, Duration.ofMinutes(10),
                Duration.ofDays(1), Duration.ofMinutes(2), Duration.ofHours(1), true), Clock.fixed(NOW, ZoneOffset.UTC));
        Compactor.Pass pass = closing.pass(List.of(TABLE));
        assertThat(pass.closedHours()).isEqualTo(2);
        assertThat(pass.compacted()).isEqualTo(2);
        assertThat(folder(H3)).hasSize(1);
        assertThat(ids(H3)).containsExactlyInAnyOrderElementsOf(List.of(5L, 6L, 7L, 8L, 9L, 5L, 6L, 7L, 8L, 9L));
        assertThat(store.snapshot()).containsKey(PATHS.successKey(PartitionFolder.hourly(TABLE, H3)));

        sinkFile(H3, 2, 10, 12, V1);
        assertThat(closing.pass(List.of(TABLE)).compacted()).isEqualTo(1);
        assertThat(folder(H3)).hasSize(1);
        assertThat(ids(H3)).hasSize(13);
    }

    /** Every object but the partition records (each pass takes and releases leases of hours it looks at). */
    private Map<String, byte[]> visible() {
        Map<String, byte[]> out = new TreeMap<>(store.snapshot());
        out.keySet().removeIf(k -> k.startsWith("lake/_tributary/partitions/"));
        return out;
    }
}
