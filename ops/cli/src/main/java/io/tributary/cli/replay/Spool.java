package io.tributary.cli.replay;

import io.tributary.schemas.lake.LakePath.HourPartition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/**
 * The rows a replay produced, waiting on local disk until their hour is swapped: Avro container
 * files {@code <dir>/<output hour>/<source hour>-<n>.avro}, one per run of rows of one schema, and
 * a new one every {@link #FILE_ROWS} rows. Rows of an output hour come back in (source hour,
 * processing) order whatever the parallelism, and in the same files, so the lake files a replay
 * writes for an hour are the same on every run.
 */
final class Spool {
    /**
     * Rows per spool file. An hour's rows become lake files of up to {@link #PART_FILES} spool files
     * each ({@link #parts}), written at the same time: an hour that holds most of a replay's rows is
     * not written by one thread while the others wait.
     */
    static final int FILE_ROWS = 10_000;
    /** Spool files per part: parts of up to 50,000 rows (a few MB of Parquet for the wide events). */
    static final int PART_FILES = 5;

    /** Consecutive spool files of one output hour and one schema, which become one lake file. */
    record Part(Schema schema, List<Path> files) {
        /** Reads the part's rows in order; returns how many. */
        long read(RowSink sink) throws IOException {
            long count = 0;
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file);
                     DataFileStream<GenericRecord> rows = new DataFileStream<>(in, new GenericDatumReader<>())) {
                    for (GenericRecord row : rows) {
                        sink.accept(row);
                        count++;
                    }
                }
            }
            return count;
        }
    }

    /** Receives rows one at a time. */
    @FunctionalInterface
    interface RowSink {
        void accept(GenericRecord row) throws IOException;
    }

    private final Path dir;
    private final int fileRows;

    Spool(Path dir) {
        this(dir, FILE_ROWS);
    }

    /** @param fileRows rows per spool file (tests: a few, to split an hour into several parts) */
    Spool(Path dir, int fileRows) {
        this.dir = dir;
        this.fileRows = fileRows;
    }

    /** Writes the rows that one source hour produced. Not thread-safe; one per source hour. */
    Writer writer(HourPartition sourceHour) {
        return new Writer(sourceHour);
    }

    /** The output hours that have rows, in order. */
    List<HourPartition> hours() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> hours = Files.list(dir)) {
            return hours.map(p -> p.getFileName().toString()).sorted()
                    .map(name -> new HourPartition(name.substring(0, 10), name.substring(11))).toList();
        }
    }

    /**
     * The rows of {@code hour} in order, as parts: runs of consecutive files of one schema, cut every
     * {@code maxFiles} files. The cuts depend only on the rows, so every run of the same replay makes
     * the same parts.
     */
    List<Part> parts(HourPartition hour, int maxFiles) throws IOException {
        Path hourDir = dir.resolve(hour.toString());
        if (!Files.isDirectory(hourDir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(hourDir)) {
            files = listed.sorted().toList();
        }
        List<Part> parts = new ArrayList<>();
        List<Path> current = new ArrayList<>();
        Schema schema = null;
        for (Path file : files) {
            Schema next = schemaOf(file);
            if (!current.isEmpty() && (!next.equals(schema) || current.size() == maxFiles)) {
                parts.add(new Part(schema, List.copyOf(current)));
                current.clear();
            }
            schema = next;
            current.add(file);
        }
        if (!current.isEmpty()) {
            parts.add(new Part(schema, List.copyOf(current)));
        }
        return parts;
    }

    private static Schema schemaOf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file);
             DataFileStream<GenericRecord> rows = new DataFileStream<>(in, new GenericDatumReader<>())) {
            return rows.getSchema();
        }
    }

    /** The files of one source hour: per output hour, the current run's file. */
    final class Writer implements AutoCloseable {
        private final HourPartition sourceHour;
        private final Map<HourPartition, DataFileWriter<GenericRecord>> open = new HashMap<>();
        private final Map<HourPartition, Schema> schemas = new HashMap<>();
        private final Map<HourPartition, Integer> runs = new HashMap<>();
        private final Map<HourPartition, Integer> rowsInFile = new HashMap<>();

        private Writer(HourPartition sourceHour) {
            this.sourceHour = sourceHour;
        }

        /** Appends a row as the topology encoded it ({@code datum}, Avro binary with {@code schema}). */
        void write(HourPartition outputHour, Schema schema, ByteBuffer datum) throws IOException {
            DataFileWriter<GenericRecord> writer = open.get(outputHour);
            Schema current = schemas.get(outputHour);
            if (writer != null && current != schema) {
                if (current.equals(schema)) {
                    // Each pipeline reads rows with a schema instance of its own: remember the latest,
                    // so that the deep comparison runs once per block of records, not once per row.
                    schemas.put(outputHour, schema);
                } else {
                    writer.close();
                    writer = null;
                }
            }
            if (writer != null && rowsInFile.get(outputHour) == fileRows) {
                writer.close();
                writer = null;
            }
            if (writer == null) {
                int run = runs.merge(outputHour, 1, Integer::sum);
                Path file = dir.resolve(outputHour.toString()).resolve(String.format("%s-%06d.avro", sourceHour, run));
                Files.createDirectories(file.getParent());
                writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema));
                writer.create(schema, file.toFile());
                open.put(outputHour, writer);
                schemas.put(outputHour, schema);
                rowsInFile.put(outputHour, 0);
            }
            writer.appendEncoded(datum);
            rowsInFile.merge(outputHour, 1, Integer::sum);
        }

        @Override
        public void close() throws IOException {
            for (DataFileWriter<GenericRecord> writer : open.values()) {
                writer.close();
            }
            open.clear();
        }
    }
}
