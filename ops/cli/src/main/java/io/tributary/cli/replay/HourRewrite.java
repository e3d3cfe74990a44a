package io.tributary.cli.replay;

import io.tributary.lake.parquet.AvroFooter;
import io.tributary.lake.parquet.ContentNamedFile;
import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.lake.store.ObjectStore;
import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * What replaying one hour changes in its lake folder. The folder's objects are classified by when
 * their upload started (LastModified, on S3's clock like the cut's own objects), with a second of
 * margin for its granularity:
 * <ul>
 *   <li><b>before</b> the cut ({@code < tCut - 1 s}): every row comes from a source record below the
 *       cut, which the replay read, so each must find its identity among the replay's; one that does
 *       not means the replay lacks its source record (an archive gap, a time read differently) and the
 *       hour is refused (or, with {@code allowDrop}, the row is dropped);</li>
 *   <li><b>after</b> the live catch-up ({@code > tW + 1 s}, sink objects only): every row comes from
 *       above the cut; the object is not read and stays;</li>
 *   <li><b>window</b>: everything else, read row by row.</li>
 * </ul>
 * A row whose identity the replay produced (from the source records of this hour) is <i>covered</i>:
 * the replay's row replaces it. Objects with a covered row are replaced; their other rows are
 * <i>carried</i> unchanged into a {@code k-} file. Objects without one stay untouched. The replay's
 * own rows go to {@code r-} files. All new files are named by content, so running the same replay
 * again finds them in place, covers its own rows with its own rows, and changes nothing.
 */
final class HourRewrite {
    private static final long MARGIN_MS = 1000;

    private final ObjectStore store;
    private final Path scratch;
    private final RowIdentity identity;
    private final Instant tCut;
    private final Instant tW;
    private final boolean allowDrop;

    /**
     * @param tCut      S3's time of the cut
     * @param tW        S3's time once the live sink had written everything from below the cut
     * @param allowDrop drop old rows the replay did not reproduce instead of refusing the hour
     */
    HourRewrite(ObjectStore store, Path scratch, RowIdentity identity, Instant tCut, Instant tW, boolean allowDrop) {
        this.store = store;
        this.scratch = scratch;
        this.identity = identity;
        this.tCut = tCut;
        this.tW = tW;
        this.allowDrop = allowDrop;
    }

    /**
     * What one hour's rewrite decided: files to add (new replay and carry files not yet in the
     * folder), objects to remove, the row counts of the folder before and after, and the identities
     * of before rows the replay did not reproduce (the hour is refused when there are any).
     */
    record Result(List<ContentNamedFile.Written> added, List<ObjectInfo> removed, long rowsBefore, long rowsAfter,
            long objectsBefore, long objectsAfter, long covered, long carried, long dropped, List<String> uncovered) {
        boolean changes() {
            return !added.isEmpty() || !removed.isEmpty();
        }

        boolean refused() {
            return !uncovered.isEmpty();
        }
    }

    /**
     * Decides the rewrite of one folder: {@code objects} are its final data objects, {@code replayed}
     * the replay's files for the hour, {@code produced} the identities of the hour's source records.
     */
    Result plan(List<ObjectInfo> objects, List<ContentNamedFile.Written> replayed, IdentityMultiset produced) throws IOException {
        Set<String> replayedNames = new HashSet<>(replayed.stream().map(ContentNamedFile.Written::name).toList());
        List<ObjectInfo> ordered = new ArrayList<>(objects);
        // Before objects first (their rows must find their identity), then the replay's own files of
        // an earlier run (they cover themselves), then the rest: every run consumes identities alike.
        ordered.sort(Comparator.comparingInt((ObjectInfo o) -> before(o) ? 0 : replayedNames.contains(o.name()) ? 1 : 2)
                .thenComparing(ObjectInfo::key));
        Map<Schema, ContentNamedFile> carry = new LinkedHashMap<>();
        Map<String, Long> rowsOf = new HashMap<>();
        List<ObjectInfo> replaced = new ArrayList<>();
        List<String> uncovered = new ArrayList<>();
        long covered = 0;
        long dropped = 0;
        Files.createDirectories(scratch);
        Path folderScratch = Files.createTempDirectory(scratch, "folder-"); // hours are planned in parallel
        Path local = folderScratch.resolve("lake-object.parquet");
        try {
            for (ObjectInfo object : ordered) {
                store.download(object.key(), local);
                if (after(object)) {
                    rowsOf.put(object.key(), rowCount(local));
                    continue;
                }
                boolean before = before(object);
                BitSet coveredRows = new BitSet();
                int[] index = {0};
                long n = identities(local, id -> {
                    if (id != null && produced.take(id)) {
                        coveredRows.set(index[0]);
                    } else if (before && uncovered.size() < 10) {
                        uncovered.add(id + " in " + object.name());
                    }
                    index[0]++;
                });
                rowsOf.put(object.key(), n);
                if (coveredRows.isEmpty() && !before) {
                    continue;
                }
                replaced.add(object);
                covered += coveredRows.cardinality();
                if (before) {
                    dropped += n - coveredRows.cardinality();
                    continue;
                }
                index[0] = 0;
                rows(local, row -> {
                    if (!coveredRows.get(index[0]++)) {
                        ContentNamedFile file = carry.get(row.getSchema());
                        if (file == null) {
                            file = new ContentNamedFile(folderScratch, row.getSchema());
                            carry.put(row.getSchema(), file);
                        }
                        file.write(row);
                    }
                });
            }
        } finally {
            Files.deleteIfExists(local);
        }
        List<ContentNamedFile.Written> all = new ArrayList<>(replayed);
        long carried = 0;
        for (ContentNamedFile file : carry.values()) {
            ContentNamedFile.Written kept = file.finish("k");
            carried += kept.rows();
            all.add(kept);
        }
        Set<String> present = new HashSet<>(objects.stream().map(ObjectInfo::name).toList());
        Set<String> adding = new HashSet<>(all.stream().map(ContentNamedFile.Written::name).toList());
        List<ContentNamedFile.Written> added = all.stream().filter(w -> !present.contains(w.name())).toList();
        List<ObjectInfo> removed = replaced.stream().filter(o -> !adding.contains(o.name())).toList();
        long rowsBefore = rowsOf.values().stream().mapToLong(Long::longValue).sum();
        long rowsAfter = rowsBefore - removed.stream().mapToLong(o -> rowsOf.get(o.key())).sum()
                + added.stream().mapToLong(ContentNamedFile.Written::rows).sum();
        return new Result(added, removed, rowsBefore, rowsAfter, objects.size(),
                objects.size() - removed.size() + added.size(), covered, carried, dropped, allowDrop ? List.of() : uncovered);
    }

    /**
     * Whether the objects a live sink may still write again ({@code pending}) are all from after the
     * catch-up, so none can hold a row the replay covers; otherwise the hour waits for the next run.
     */
    boolean settled(List<ObjectInfo> pending) {
        return pending.stream().allMatch(o -> o.lastModified().toEpochMilli() > tW.toEpochMilli() + MARGIN_MS);
    }

    private boolean before(ObjectInfo o) {
        return o.lastModified().toEpochMilli() < tCut.toEpochMilli() - MARGIN_MS;
    }

    /** Only the sink's own files can be after: a swap (compaction, another replay) may have merged rows from below the cut. */
    private boolean after(ObjectInfo o) {
        return LakePath.parseFile(o.key()) != null && o.lastModified().toEpochMilli() > tW.toEpochMilli() + MARGIN_MS;
    }

    /** Receives the identity of each row (null for a row without one). */
    @FunctionalInterface
    private interface IdentitySink {
        void accept(String id) throws IOException;
    }

    /**
     * Streams the identity of each row of a local Parquet file, reading only the identity's columns
     * (every row of every replaced hour is matched, and the other columns are most of the bytes);
     * returns how many rows.
     */
    private long identities(Path file, IdentitySink sink) throws IOException {
        Configuration conf = new Configuration(false);
        Schema projection = projection(file);
        if (projection != null) {
            AvroReadSupport.setRequestedProjection(conf, projection);
        }
        long n = 0;
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withDataModel(GenericData.get()).withConf(conf).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                sink.accept(identity.of(r));
                n++;
            }
        }
        return n;
    }

    /** The file's Avro schema cut down to the identity's columns; null (read whole rows) without an Avro schema or those columns. */
    private Schema projection(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            String avro = AvroFooter.schemaText(reader);
            if (avro == null) {
                return null;
            }
            Schema full = new Schema.Parser().parse(avro);
            Set<String> wanted = identity.columns();
            List<Schema.Field> fields = full.getFields().stream().filter(f -> wanted.contains(f.name()))
                    .map(f -> new Schema.Field(f, f.schema())).toList();
            return fields.isEmpty() ? null : Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, fields);
        }
    }

    /** A local Parquet file's row count, from its footer. */
    private static long rowCount(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return reader.getRecordCount();
        }
    }

    /** Streams a local Parquet file's rows; returns how many. */
    static long rows(Path file, Spool.RowSink sink) throws IOException {
        long n = 0;
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withDataModel(GenericData.get()).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                sink.accept(r);
                n++;
            }
        }
        return n;
    }
}
