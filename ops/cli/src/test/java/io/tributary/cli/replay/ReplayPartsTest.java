package io.tributary.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cli.common.CliError;
import io.tributary.lake.parquet.ContentNamedFile;
import io.tributary.schemas.lake.LakePath.HourPartition;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay's small parts: hour ranges as written on the command line, and the identity multiset. */
class ReplayPartsTest {
    @TempDir
    Path tmp;

    @Test
    void hourRangesAreWholeUtcHoursAcrossDays() {
        HourRange range = HourRange.parse("2026-11-30T22", "2026-12-01T01:00:00+00:00");
        assertThat(range.hours()).extracting(HourPartition::toString)
                .containsExactly("2026-11-30T22", "2026-11-30T23", "2026-12-01T00");
        assertThat(range.contains(new HourPartition("2026-12-01", "01"))).isFalse();
        assertThat(HourRange.parse("2026-11-01T09:00+09:00", "2026-11-01T01").hours()).hasSize(1);
        assertThatThrownBy(() -> HourRange.parse("2026-11-01T00:30", "2026-11-01T02"))
                .isInstanceOf(CliError.class).hasMessageContaining("hour boundary");
        assertThatThrownBy(() -> HourRange.parse("2026-11-01T02", "2026-11-01T02"))
                .isInstanceOf(CliError.class).hasMessageContaining("must be after");
        assertThatThrownBy(() -> HourRange.parse("yesterday", "2026-11-01T02"))
                .isInstanceOf(CliError.class).hasMessageContaining("--from yesterday is not an hour");
    }

    @Test
    void eachIdentityIsTakenAsOftenAsItWasAddedAndSurvivesADiskRoundTrip() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            ids.add("e-" + i);
            if (i % 10 == 0) {
                ids.add("e-" + i); // an event_id reused once
            }
        }
        Collections.shuffle(ids, new Random(3));
        // Written in two parts, as a replay appends an hour's identities whenever it closes the hour's files.
        IdentityMultiset first = new IdentityMultiset();
        ids.subList(0, 2000).forEach(first::add);
        first.append(tmp.resolve("ids.bin"));
        IdentityMultiset second = new IdentityMultiset();
        ids.subList(2000, ids.size()).forEach(second::add);
        second.append(tmp.resolve("ids.bin"));
        IdentityMultiset set = new IdentityMultiset();
        set.addAll(tmp.resolve("ids.bin"));
        set.addAll(tmp.resolve("missing.bin"));
        assertThat(set.size()).isEqualTo(ids.size());
        for (int i = 0; i < 5000; i++) {
            assertThat(set.take("e-" + i)).as("e-%d", i).isTrue();
            assertThat(set.take("e-" + i)).as("e-%d again", i).isEqualTo(i % 10 == 0);
        }
        assertThat(set.take("e-5000")).isFalse();
    }

    /**
     * Rows decoded into the objects of the row before (longer then shorter strings, maps and lists
     * growing and shrinking, nulls) reach Parquet as they were spooled.
     */
    @Test
    void aPartsRowsReachParquetAsTheyWereSpooled() throws Exception {
        Schema schema = SchemaBuilder.record("row").fields().requiredString("id")
                .name("attrs").type().map().values().stringType().noDefault()
                .name("tags").type().array().items().stringType().noDefault()
                .optionalLong("n").endRecord();
        Random random = new Random(7);
        List<String> spooled = new ArrayList<>();
        Spool spool = new Spool(tmp.resolve("rows"), 40); // several files per part
        HourPartition hour = new HourPartition("2026-11-05", "03");
        GenericDatumWriter<GenericRecord> avro = new GenericDatumWriter<>(schema);
        try (Spool.Writer writer = spool.writer(hour)) {
            for (int i = 0; i < 300; i++) {
                GenericRecord row = new GenericData.Record(schema);
                row.put("id", "e-" + i + "x".repeat(random.nextInt(60)));
                Map<String, String> attrs = new HashMap<>();
                for (int j = random.nextInt(5); j > 0; j--) {
                    attrs.put("k" + random.nextInt(8), "v" + "y".repeat(random.nextInt(40)));
                }
                row.put("attrs", attrs);
                List<String> tags = new ArrayList<>();
                for (int j = random.nextInt(4); j > 0; j--) {
                    tags.add("t" + "z".repeat(random.nextInt(20)));
                }
                row.put("tags", tags);
                row.put("n", random.nextBoolean() ? null : (long) i);
                spooled.add(text(row));
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
                avro.write(row, encoder);
                encoder.flush();
                writer.write(hour, schema, ByteBuffer.wrap(bytes.toByteArray()));
            }
        }
        List<String> parquet = new ArrayList<>();
        List<Spool.Part> parts = spool.parts(hour, 3);
        assertThat(parts).as("parts of several files").hasSize(3);
        for (Spool.Part part : parts) {
            try (ContentNamedFile file = new ContentNamedFile(tmp.resolve("out"), part.schema())) {
                part.read(file::write);
                HourRewrite.rows(file.finish("r").file(), row -> parquet.add(text(row)));
            }
        }
        assertThat(parquet).containsExactlyElementsOf(spooled);
    }

    /** A row's values as text, map entries by key (a map's order is not its content). */
    private static String text(GenericRecord row) {
        Map<String, String> attrs = new TreeMap<>();
        ((Map<?, ?>) row.get("attrs")).forEach((k, v) -> attrs.put(k.toString(), v.toString()));
        List<String> tags = ((List<?>) row.get("tags")).stream().map(Object::toString).toList();
        return row.get("id") + " " + attrs + " " + tags + " " + row.get("n");
    }

    @Test
    void progressShowsRecordsRateAndTimeLeft() {
        assertThat(HourReplayer.progress(25_000, 100_000, 5_000_000_000L))
                .isEqualTo("[#####---------------] 25,000 of ~100,000 records  5,000 records/s  ETA 0:00:15");
        assertThat(HourReplayer.progress(0, 0, 1_000_000L)).as("nothing to read")
                .isEqualTo("[####################] 0 of ~0 records  0 records/s  ETA 0:00:00");
        assertThat(HourReplayer.progress(120, 100, 2_000_000_000L)).as("more read than expected: the bar ends full")
                .isEqualTo("[####################] 120 of ~120 records  60 records/s  ETA 0:00:00");
    }
}
