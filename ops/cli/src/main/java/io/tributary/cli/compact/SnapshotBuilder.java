package io.tributary.cli.compact;

import io.tributary.lake.parquet.ContentNamedFile;
import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.swap.FolderSnapshot;
import io.tributary.lake.swap.Heartbeat;
import io.tributary.lake.swap.PartitionRecord.FolderState;
import io.tributary.lake.swap.Rewriter;
import io.tributary.schemas.contract.CurrentState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * Builds one day of {@code <table>_snapshot}, the {@link Rewriter} that {@code PartitionSwap} runs on
 * the folder {@code <table>_snapshot/dt=D/}: the rows of the previous day's snapshot and every change
 * of day D (all hour folders of {@code <table>/dt=D/}) are reduced to the latest row of each key (by
 * {@code _source_pos}, then {@code _source_ts}, as the {@code _current} view orders them), deletes
 * dropped, and written sorted by key into content-named {@code s-} objects that replace the folder's
 * previous build. Cost is one day of changes plus the table's size, never its history. The same
 * inputs give the same bytes, so a build run again with nothing changed publishes nothing. A row
 * listed twice (an hour caught mid-compaction shows the old and the new object) is the same change
 * twice and reduces to one. Memory holds one row per key of the table.
 */
final class SnapshotBuilder implements Rewriter {
    /** Orders two versions of a row: the later change is greater (a null position is older than any). */
    static final Comparator<GenericRecord> CHANGE_ORDER = Comparator
            .comparing((GenericRecord r) -> text(r.get(CurrentState.SOURCE_POS)), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(r -> (Long) r.get(CurrentState.SOURCE_TS), Comparator.nullsFirst(Comparator.naturalOrder()));

    private final ObjectStore store;
    private final String table;
    private final List<String> key;
    private final List<ObjectInfo> previous;
    private final List<ObjectInfo> changes;
    private final Path workDir;
    private final long targetBytes;
    private final Instant now;

    /**
     * @param previous the objects of the previous day's snapshot (none for the table's first day)
     * @param changes  the objects of the day's changelog hours
     */
    SnapshotBuilder(ObjectStore store, String table, List<ObjectInfo> previous, List<ObjectInfo> changes, Path workDir, long targetBytes,
                    Instant now) {
        this.store = store;
        this.table = table;
        this.key = CurrentState.key(table).orElseThrow(() -> new IllegalArgumentException(table + " is not a CDC table"));
        this.previous = previous;
        this.changes = changes;
        this.workDir = workDir;
        this.targetBytes = targetBytes;
        this.now = now;
    }

    @Override
    public String kind() {
        return "s";
    }

    @Override
    public Plan plan(FolderSnapshot snapshot, FolderState state, Heartbeat heartbeat) throws IOException {
        Map<List<Comparable<Object>>, GenericRecord> latest = new TreeMap<>(SnapshotBuilder::compareKeys);
        Schema newest = null;
        // Previous snapshot first: a change of the day for the same key is always later (and is compared anyway).
        for (ObjectInfo object : sorted(previous)) {
            Path file = download(object);
            readInto(file, latest);
            Files.delete(file);
            heartbeat.keepAlive();
        }
        for (ObjectInfo object : sorted(changes)) {
            Path file = download(object);
            Schema schema = writerSchema(file, object);
            // Changelog schemas only grow (columns are appended): the widest is the newest.
            if (newest == null || schema.getFields().size() > newest.getFields().size()) {
                newest = schema;
            }
            readInto(file, latest);
            Files.delete(file);
            heartbeat.keepAlive();
        }
        List<ContentNamedFile.Written> added = latest.values().stream().anyMatch(r -> !deleted(r))
                ? write(outputSchema(newest, latest), latest, heartbeat) : List.of();
        String at = now.toString();
        return new Plan(snapshot.finals(), added, List.of(), true, s -> s.closed(at, at));
    }

    private static List<ObjectInfo> sorted(List<ObjectInfo> objects) {
        return objects.stream().sorted(Comparator.comparing(ObjectInfo::key)).toList();
    }

    /** The snapshot schema: from the day's newest changelog schema, else the one the previous snapshot was written with. */
    private Schema outputSchema(Schema newestChanges, Map<List<Comparable<Object>>, GenericRecord> rows) {
        if (newestChanges != null) {
            return CurrentState.snapshotSchema(table, newestChanges);
        }
        return rows.values().iterator().next().getSchema();
    }

    private void readInto(Path file, Map<List<Comparable<Object>>, GenericRecord> latest) throws IOException {
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withDataModel(GenericData.get()).build()) {
            for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
                latest.merge(keyOf(row), row, (a, b) -> CHANGE_ORDER.compare(b, a) > 0 ? b : a);
            }
        }
    }

    private List<ContentNamedFile.Written> write(Schema schema, Map<List<Comparable<Object>>, GenericRecord> latest, Heartbeat heartbeat)
            throws IOException {
        List<ContentNamedFile.Written> written = new ArrayList<>();
        Path out = Files.createDirectories(workDir.resolve("out"));
        ContentNamedFile file = null;
        try {
            for (GenericRecord row : latest.values()) {
                if (deleted(row)) {
                    continue;
                }
                if (file != null && file.estimatedBytes() >= targetBytes) {
                    written.add(file.finish(kind()));
                    heartbeat.keepAlive();
                    file = null;
                }
                if (file == null) {
                    file = new ContentNamedFile(out, schema);
                }
                file.write(project(row, schema));
            }
            written.add(file.finish(kind()));
            file = null;
        } finally {
            if (file != null) {
                file.close();
            }
        }
        return written;
    }

    /** The row in the snapshot schema: fields by name; a column the row's writer did not have yet is null. */
    private static GenericRecord project(GenericRecord row, Schema schema) {
        GenericData.Record out = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            out.put(f.pos(), row.getSchema().getField(f.name()) == null ? null : row.get(f.name()));
        }
        return out;
    }

    private static boolean deleted(GenericRecord row) {
        // Snapshot rows have no _deleted column: they are current rows by construction.
        return row.getSchema().getField(CurrentState.DELETED) != null && Boolean.TRUE.equals(row.get(CurrentState.DELETED));
    }

    @SuppressWarnings("unchecked")
    private List<Comparable<Object>> keyOf(GenericRecord row) {
        List<Comparable<Object>> values = new ArrayList<>(key.size());
        for (String column : key) {
            Object value = row.get(column);
            values.add((Comparable<Object>) (Object) (value instanceof Utf8 || value instanceof CharSequence ? value.toString() : value));
        }
        return values;
    }

    /** Key order: column by column, nulls first; values of different types (a widened column) by their text. */
    private static int compareKeys(List<Comparable<Object>> a, List<Comparable<Object>> b) {
        for (int i = 0; i < a.size(); i++) {
            Comparable<Object> x = a.get(i);
            Comparable<Object> y = b.get(i);
            int c = x == null || y == null ? Boolean.compare(x != null, y != null)
                    : x.getClass() == y.getClass() ? x.compareTo(y)
                    : x instanceof Number n && y instanceof Number m ? Long.compare(n.longValue(), m.longValue())
                    : x.toString().compareTo(y.toString());
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private Path download(ObjectInfo object) throws IOException {
        Path file = Files.createDirectories(workDir.resolve("in")).resolve(object.etag().replaceAll("[^A-Za-z0-9]", "") + "-" + object.name());
        store.download(object.key(), file);
        return file;
    }

    private static Schema writerSchema(Path file, ObjectInfo object) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return new Schema.Parser().parse(HourCompaction.writerSchema(reader, object));
        }
    }
}
