package io.tributary.lake.swap;

import io.tributary.lake.parquet.ContentNamedFile;
import io.tributary.lake.parquet.ParquetFileWriter;
import io.tributary.lake.store.ObjectStore.ObjectInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/** Parquet files of one long column {@code id}, as the swap tests' rows. */
final class IdFiles {
    static final Schema SCHEMA = SchemaBuilder.record("Row").fields().requiredLong("id").endRecord();

    private IdFiles() {
    }

    static Path write(Path file, List<Long> ids) throws IOException {
        try (ParquetFileWriter writer = new ParquetFileWriter(file, SCHEMA, "zstd", 1 << 20, 64 << 10)) {
            for (long id : ids) {
                writer.write(row(id));
            }
        }
        return file;
    }

    private static GenericRecord row(long id) {
        GenericRecord row = new GenericData.Record(SCHEMA);
        row.put("id", id);
        return row;
    }

    static byte[] bytes(Path dir, List<Long> ids) throws IOException {
        Path file = write(Files.createTempFile(dir, "ids-", ".parquet"), ids);
        try {
            return Files.readAllBytes(file);
        } finally {
            Files.delete(file);
        }
    }

    static List<Long> read(Path file) throws IOException {
        List<Long> ids = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withDataModel(GenericData.get()).build()) {
            for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
                ids.add((Long) row.get("id"));
            }
        }
        return ids;
    }

    static List<Long> read(Path dir, byte[] content) throws IOException {
        Path file = Files.write(Files.createTempFile(dir, "read-", ".parquet"), content);
        try {
            return read(file);
        } finally {
            Files.delete(file);
        }
    }

    /** Rows of contents already read, by ETag: the checks after every request read the same objects again and again. */
    private static final Map<String, List<Long>> READ = new java.util.concurrent.ConcurrentHashMap<>();

    /** Every id in the data objects directly under {@code folderKey}, with repeats. */
    static List<Long> visible(Path dir, Map<String, byte[]> objects, String folderKey) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (Map.Entry<String, byte[]> o : objects.entrySet()) {
            String key = o.getKey();
            if (key.startsWith(folderKey) && key.indexOf('/', folderKey.length()) < 0 && key.endsWith(".parquet")) {
                String etag = io.tributary.lake.store.InMemoryObjectStore.etag(o.getValue());
                List<Long> rows = READ.get(etag);
                if (rows == null) {
                    rows = List.copyOf(read(dir, o.getValue()));
                    READ.put(etag, rows);
                }
                ids.addAll(rows);
            }
        }
        return ids;
    }

    /** A rewriter that merges every final object of the folder into one sorted file, as compaction does. */
    static Rewriter merger(io.tributary.lake.store.ObjectStore store, Path dir) {
        return new Rewriter() {
            @Override
            public String kind() {
                return "c";
            }

            @Override
            public Plan plan(FolderSnapshot snapshot, PartitionRecord.FolderState state, Heartbeat heartbeat) throws IOException {
                List<Long> ids = new ArrayList<>();
                for (ObjectInfo input : snapshot.finals()) {
                    Path local = Files.createTempFile(dir, "in-", ".parquet");
                    store.download(input.key(), local);
                    ids.addAll(read(local));
                    Files.delete(local);
                    heartbeat.keepAlive();
                }
                if (snapshot.finals().size() < 2) {
                    return Plan.none(List.of(), s -> s);
                }
                ids.sort(null);
                ContentNamedFile.Written merged;
                try (ContentNamedFile out = new ContentNamedFile(Files.createTempDirectory(dir, "out-"), SCHEMA)) {
                    for (long id : ids) {
                        out.write(row(id));
                    }
                    merged = out.finish("c");
                }
                return new Plan(snapshot.finals(), List.of(merged), List.of(), false,
                        s -> s.closed("2026-11-05T05:00:00Z", "2026-11-05T05:00:00Z"));
            }
        };
    }
}
