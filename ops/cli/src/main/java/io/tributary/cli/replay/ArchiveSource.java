package io.tributary.cli.replay;

import io.tributary.cli.common.ByteSizes;
import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.lake.store.ObjectStore;
import io.tributary.schemas.json.FlattenedLeaf;
import io.tributary.schemas.lake.LakePath.FileOffsets;
import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import io.tributary.streams.replay.InProcessPipeline.Input;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Source records from the raw archive ({@code <prefix>/_raw/<topic>/dt=/hour=/}), which the raw
 * archive connector writes exactly once, one file per partition and offset range. Files are read
 * one at a time (downloaded to a scratch file), ordered by partition and first offset; records at
 * or above the cut are skipped, and so is an offset read before (should an hour ever hold two
 * copies of a range, e.g. while the archive's own files are being merged).
 */
final class ArchiveSource implements RawSource {
    private final ObjectStore store;
    private final LakePath archive;
    private final String topic;
    private final Map<Integer, Long> cut;
    private final Path scratch;
    private final String idLeaf;

    /**
     * @param cut    per partition, the first offset not to read
     * @param idLeaf the leaf that identifies a record's rows ({@link RowIdentity#sourceLeaf}; null: none)
     */
    ArchiveSource(ObjectStore store, LakePath lake, String topic, Map<Integer, Long> cut, Path scratch, String idLeaf) {
        this.store = store;
        this.archive = lake.raw();
        this.topic = topic;
        this.cut = cut;
        this.scratch = scratch;
        this.idLeaf = idLeaf;
    }

    /** Hour after hour (the archive files records by hour), each in (partition, offset) order. */
    @Override
    public long read(List<HourPartition> hours, HourSink sink) throws IOException {
        long n = 0;
        for (HourPartition hour : hours) {
            n += read(files(archive.folder(topic, hour)), cut, record -> sink.accept(hour, record, id(record)));
        }
        return n;
    }

    @Override
    public long readAll(String historyTopic, Map<Integer, Long> ends, RawRecords.Sink sink) throws IOException {
        return read(files(archive.tableRoot(historyTopic)), ends, sink);
    }

    /** The records the archive objects of the hours hold, counted by the offset ranges their names declare. */
    @Override
    public long expectedRecords(List<HourPartition> hours) throws IOException {
        long records = 0;
        for (HourPartition hour : hours) {
            for (Archived f : files(archive.folder(topic, hour))) {
                records += f.offsets().endOffset() - f.offsets().startOffset() + 1;
            }
        }
        // A transactional topic's commit markers take offsets too: then a file holds fewer records than its range.
        return records;
    }

    /** For --dry-run: the archive objects of the hours and the records they hold ({@link #expectedRecords}). */
    @Override
    public String describe(List<HourPartition> hours) throws IOException {
        long objects = 0;
        long bytes = 0;
        for (HourPartition hour : hours) {
            for (Archived f : files(archive.folder(topic, hour))) {
                objects++;
                bytes += f.object().size();
            }
        }
        return String.format("%,d archive objects (%s) under %s, up to %,d raw records", objects, ByteSizes.human(bytes),
                archive.tableRoot(topic), expectedRecords(hours));
    }

    /** The text of the record's {@code idLeaf} (the archive already filed it by its time). */
    private String id(Input record) {
        FlattenedLeaf leaf = idLeaf == null || record.value() == null ? null : FlattenedLeaf.find(record.value(), idLeaf);
        return leaf == null ? null : leaf.text();
    }

    /** An archive file and the partition and offsets its name declares. */
    private record Archived(ObjectInfo object, FileOffsets offsets) {
    }

    private List<Archived> files(String prefix) throws IOException {
        List<Archived> files = new ArrayList<>();
        for (ObjectInfo o : store.list(prefix)) {
            FileOffsets offsets = LakePath.parseFile(o.key());
            if (offsets != null) {
                files.add(new Archived(o, offsets));
            }
        }
        files.sort(Comparator.comparingInt((Archived a) -> a.offsets().partition())
                .thenComparingLong(a -> a.offsets().startOffset()).thenComparing(a -> a.object().key()));
        return files;
    }

    private long read(List<Archived> files, Map<Integer, Long> below, RawRecords.Sink sink) throws IOException {
        Map<Integer, Long> last = new HashMap<>();
        long[] count = {0};
        Files.createDirectories(scratch);
        Path local = Files.createTempFile(scratch, "archive-", ".parquet"); // calls run in parallel (the history, one per pipeline)
        for (Archived f : files) {
            int partition = f.offsets().partition();
            long end = below.getOrDefault(partition, 0L);
            if (f.offsets().startOffset() >= end || f.offsets().endOffset() <= last.getOrDefault(partition, -1L)) {
                continue;
            }
            store.download(f.object().key(), local);
            RawRecords.read(local, record -> {
                if (record.offset() < end && record.offset() > last.getOrDefault(partition, -1L)) {
                    last.put(partition, record.offset());
                    count[0]++;
                    sink.accept(record);
                }
            });
        }
        Files.deleteIfExists(local);
        return count[0];
    }

    @Override
    public void close() {
    }
}
