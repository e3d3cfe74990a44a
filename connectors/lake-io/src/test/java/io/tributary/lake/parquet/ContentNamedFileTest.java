package io.tributary.lake.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same rows, same bytes, in any process: files written by separate JVMs (where parquet-java's
 * encoding sets iterate in different orders) are byte-identical and carry the same content name, and
 * the footer rewrite sorts what it must, keeps the length, and leaves a file every reader reads.
 */
class ContentNamedFileTest {
    static final Schema SCHEMA = SchemaBuilder.record("Row").namespace("io.tributary.test").fields()
            .requiredString("event_id")
            .name("event_time").type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
            .optionalString("source_type_name")
            .optionalLong("amount")
            .optionalDouble("latency")
            .name("extra").type().map().values().stringType().noDefault()
            .endRecord();

    @TempDir
    Path dir;

    /** Rows with repeated and distinct values, so that columns get dictionary, plain and RLE encodings. */
    static List<GenericRecord> rows(int n, long seed) {
        Random random = new Random(seed);
        List<GenericRecord> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GenericRecord r = new GenericData.Record(SCHEMA);
            r.put("event_id", "e-" + seed + "-" + i);
            r.put("event_time", 1_763_780_000_000L + i * 37L);
            r.put("source_type_name", random.nextInt(10) == 0 ? null : "name-" + random.nextInt(5));
            r.put("amount", random.nextBoolean() ? null : random.nextLong());
            r.put("latency", random.nextDouble());
            r.put("extra", Map.of("k" + random.nextInt(3), "v" + random.nextInt(1000)));
            rows.add(r);
        }
        return rows;
    }

    /** Run in a child JVM: writes the test rows to args[0] and prints the file's name. */
    public static void main(String[] args) throws IOException {
        System.out.println(write(Path.of(args[0]), rows(Integer.parseInt(args[1]), 18)).name());
    }

    static ContentNamedFile.Written write(Path dir, List<GenericRecord> rows) throws IOException {
        try (ContentNamedFile file = new ContentNamedFile(dir, SCHEMA)) {
            for (GenericRecord row : rows) {
                file.write(row);
            }
            return file.finish("r");
        }
    }

    @Test
    void twoProcessesWriteTheSameBytesUnderTheSameName() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int process = 0; process < 2; process++) {
            Path out = Files.createDirectories(dir.resolve("process-" + process));
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ContentNamedFileTest.class.getName(), out.toString(), "20000")
                    .redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes()).trim();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(output).isZero();
            String name = output.lines().reduce((a, b) -> b).orElseThrow();
            assertThat(name).matches("r-[0-9a-f]{32}\\.parquet");
            files.add(out.resolve(name));
        }
        ContentNamedFile.Written here = write(dir.resolve("here"), rows(20_000, 18));
        assertThat(files.get(1).getFileName()).isEqualTo(files.get(0).getFileName());
        assertThat(Files.readAllBytes(files.get(1))).isEqualTo(Files.readAllBytes(files.get(0)));
        assertThat(here.name()).isEqualTo(files.get(0).getFileName().toString());
        assertThat(here.sha256()).startsWith(here.name().substring(2, 34));
        assertThat(here.rows()).isEqualTo(20_000);
        assertThat(read(here.file())).hasSize(20_000);
    }

    @Test
    void otherRowsOrAnotherOrderGetAnotherName() throws IOException {
        List<GenericRecord> rows = rows(100, 1);
        String name = write(dir.resolve("a"), rows).name();
        List<GenericRecord> reversed = new ArrayList<>(rows);
        Collections.reverse(reversed);
        assertThat(write(dir.resolve("b"), reversed).name()).isNotEqualTo(name);
        assertThat(write(dir.resolve("c"), rows(100, 2)).name()).isNotEqualTo(name);
        assertThat(write(dir.resolve("d"), rows).name()).isEqualTo(name);
    }

    @Test
    void theRewriteSortsShuffledEncodingsInPlaceAndTheFileStillReads() throws IOException {
        ContentNamedFile.Written written = write(dir, rows(1000, 3));
        Path file = written.file();
        byte[] canonical = Files.readAllBytes(file);
        shuffleEncodings(file);
        assertThat(Files.readAllBytes(file)).as("shuffled").isNotEqualTo(canonical);
        CanonicalFooter.rewrite(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(canonical);
        for (RowGroup group : footer(file).getRow_groups()) {
            for (ColumnChunk chunk : group.getColumns()) {
                List<Encoding> encodings = chunk.getMeta_data().getEncodings();
                assertThat(encodings).isSortedAccordingTo(java.util.Comparator.comparingInt(Encoding::getValue));
            }
        }
        assertThat(read(file)).extracting(r -> r.get("event_id").toString()).first().isEqualTo("e-3-0");
    }

    /** Reverses each column chunk's encodings list, as another process's hash order might have written it. */
    private static void shuffleEncodings(Path file) throws IOException {
        FileMetaData metadata = footer(file);
        boolean changed = false;
        for (RowGroup group : metadata.getRow_groups()) {
            for (ColumnChunk chunk : group.getColumns()) {
                List<Encoding> encodings = new ArrayList<>(chunk.getMeta_data().getEncodings());
                changed |= encodings.size() > 1;
                Collections.reverse(encodings);
                chunk.getMeta_data().setEncodings(encodings);
            }
        }
        assertThat(changed).as("some column has several encodings").isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Util.writeFileMetaData(metadata, out);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() - 8 - out.size());
            f.write(out.toByteArray());
        }
    }

    private static FileMetaData footer(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int n = all.length;
        int length = (all[n - 8] & 0xff) | (all[n - 7] & 0xff) << 8 | (all[n - 6] & 0xff) << 16 | (all[n - 5] & 0xff) << 24;
        return Util.readFileMetaData(new ByteArrayInputStream(all, n - 8 - length, length));
    }

    private static List<GenericRecord> read(Path file) throws IOException {
        List<GenericRecord> out = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                out.add(r);
            }
        }
        return out;
    }
}
