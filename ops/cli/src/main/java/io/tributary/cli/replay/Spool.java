package io.tributary.cli.replay;

import io.tributary.schemas.lake.LakePath.HourPartition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * files {@code <dir>/<output hour>/<source hour>-<n>.avro}, one per run of rows of one schema.
 * Rows of an output hour come back in (source hour, processing) order whatever the parallelism,
 * so the files a replay writes for an hour are the same on every run.
 */
final class Spool {
    /** Receives rows one at a time. */
    @FunctionalInterface
    interface RowSink {
        void accept(GenericRecord row) throws IOException;
    }

    private final Path dir;

    Spool(Path dir) {
        this.dir = dir;
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

    /** Reads the rows of {@code hour} in order; returns how many. */
    long read(HourPartition hour, RowSink sink) throws IOException {
        Path hourDir = dir.resolve(hour.toString());
        if (!Files.isDirectory(hourDir)) {
            return 0;
        }
        long count = 0;
        try (Stream<Path> files = Files.list(hourDir)) {
            for (Path file : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(file);
                     DataFileStream<GenericRecord> rows = new DataFileStream<>(in, new GenericDatumReader<>())) {
                    for (GenericRecord row : rows) {
                        sink.accept(row);
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /** The files of one source hour: per output hour, the current run's file. */
    final class Writer implements AutoCloseable {
        private final HourPartition sourceHour;
        private final Map<HourPartition, DataFileWriter<GenericRecord>> open = new HashMap<>();
        private final Map<HourPartition, Schema> schemas = new HashMap<>();
        private final Map<HourPartition, Integer> runs = new HashMap<>();

        private Writer(HourPartition sourceHour) {
            this.sourceHour = sourceHour;
        }

        void write(HourPartition outputHour, GenericRecord row) throws IOException {
            DataFileWriter<GenericRecord> writer = open.get(outputHour);
            Schema current = schemas.get(outputHour);
            if (writer != null && current != row.getSchema()) {
                if (current.equals(row.getSchema())) {
                    // Each pipeline reads rows with a schema instance of its own: remember the latest,
                    // so that the deep comparison runs once per block of records, not once per row.
                    schemas.put(outputHour, row.getSchema());
                } else {
                    writer.close();
                    writer = null;
                }
            }
            if (writer == null) {
                int run = runs.merge(outputHour, 1, Integer::sum);
                Path file = dir.resolve(outputHour.toString()).resolve(String.format("%s-%06d.avro", sourceHour, run));
                Files.createDirectories(file.getParent());
                writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(row.getSchema()));
                writer.create(row.getSchema(), file.toFile());
                open.put(outputHour, writer);
                schemas.put(outputHour, row.getSchema());
            }
            writer.append(row);
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
