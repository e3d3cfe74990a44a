package io.tributary.connect.s3.writer;

import io.tributary.connect.s3.partitioner.LakePath;
import io.tributary.connect.s3.partitioner.LakePath.HourPartition;
import io.tributary.connect.s3.rotation.RotationPolicy;
import io.tributary.connect.s3.rotation.RotationReason;
import io.tributary.connect.s3.storage.ObjectStore;
import io.tributary.connect.s3.storage.PartitionMarker;
import io.tributary.connect.s3.storage.PartitionMarker.FileEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one topic partition: one open file per table hour, closed files waiting for upload, and
 * the files already uploaded at or above the safe offset (from this task or, after a crash, from
 * the partition marker). The safe offset is the lowest offset not yet in an uploaded file; it is
 * the only offset ever committed to Kafka or written to the marker.
 */
final class TopicPartitionWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TopicPartitionWriter.class);

    /** What became of one record. */
    enum Outcome { WRITTEN, REDELIVERED, ALREADY_IN_S3 }

    private final TopicPartition tp;
    private final String table;
    private final LakePath paths;
    private final RotationPolicy policy;
    private final OpenFileFactory files;
    private final ObjectStore store;
    private final Map<HourPartition, OpenFile> open = new HashMap<>();
    private final List<ClosedFile> pending = new ArrayList<>();
    private final List<FileEntry> uploaded = new ArrayList<>();
    /** The highest offset any uploaded file holds; records above it cannot be in S3 yet. */
    private long uploadedUpTo = -1;
    /** The offset after the last record seen; -1 before the first record (or marker). */
    private long nextOffset = -1;

    TopicPartitionWriter(TopicPartition tp, String table, LakePath paths, RotationPolicy policy, OpenFileFactory files,
                         ObjectStore store) {
        this.tp = tp;
        this.table = table;
        this.paths = paths;
        this.policy = policy;
        this.files = files;
        this.store = store;
    }

    /**
     * Reads this partition's marker. Returns the offset to resume from, or -1 when there is none
     * (a new partition: Connect's committed offset stands). Files the marker names but S3 does not
     * hold were being uploaded when the previous task died; their records are written again.
     */
    long recover() throws IOException {
        String key = markerKey();
        Optional<byte[]> json = store.get(key);
        if (json.isEmpty()) {
            return -1;
        }
        PartitionMarker marker;
        try {
            marker = PartitionMarker.fromJson(json.get());
        } catch (IOException e) {
            throw new IOException("The marker " + key + " is unreadable (" + e.getMessage() + "). Delete it to resume "
                    + "from the committed offset; records since the last commit may then be written twice.", e);
        }
        for (FileEntry entry : marker.files()) {
            if (store.exists(entry.key())) {
                addUploaded(entry);
            } else {
                LOG.info("{} was not uploaded before the previous task stopped; its records are written again", entry.key());
            }
        }
        nextOffset = marker.safeOffset();
        LOG.info("{} resumes at offset {}; {} uploaded files above it are skipped on replay", tp, nextOffset, uploaded.size());
        return nextOffset;
    }

    Outcome write(long offset, long recordTime, GenericRecord record, int inputBytes, OpenFileBudget budget, long nowMillis)
            throws IOException {
        if (offset < nextOffset) {
            return Outcome.REDELIVERED;
        }
        nextOffset = offset + 1;
        HourPartition hour = LakePath.hourOf(recordTime);
        if (offset <= uploadedUpTo && isUploaded(hour, offset)) {
            return Outcome.ALREADY_IN_S3;
        }
        OpenFile file = open.get(hour);
        if (file != null) {
            RotationReason reason = policy.beforeAppend(file.stats(), record.getSchema(), recordTime);
            if (reason != null) {
                rotate(file, reason);
                file = null;
            }
        }
        if (file == null) {
            budget.beforeOpen();
            file = files.open(table, hour, record.getSchema(), offset, recordTime, nowMillis);
            open.put(hour, file);
        }
        file.append(record, inputBytes, offset, budget.nextWriteSequence());
        RotationReason reason = policy.afterAppend(file.stats());
        if (reason != null) {
            rotate(file, reason);
        }
        return Outcome.WRITTEN;
    }

    /** A record that went to the errant record reporter: nothing to write, but it counts as done. */
    void skip(long offset) {
        nextOffset = Math.max(nextOffset, offset + 1);
    }

    /** Closes the files whose wall-clock flush is due. */
    void tick(long nowMillis) throws IOException {
        for (OpenFile file : List.copyOf(open.values())) {
            RotationReason reason = policy.onTick(file.stats(), nowMillis);
            if (reason != null) {
                rotate(file, reason);
            }
        }
    }

    void rotate(OpenFile file, RotationReason reason) throws IOException {
        open.remove(file.hour());
        ClosedFile closed = file.finish(paths.file(table, file.hour(), tp.topic(), tp.partition(), file.startOffset(),
                file.endOffset()), reason);
        pending.add(closed);
        LOG.info("Rotated {}: {} records, {} bytes, reason {}", closed.key(), closed.records(), closed.bytes(), reason);
    }

    /**
     * Uploads the closed files. The marker goes first and names them, so a task that dies during an
     * upload finds, after restart, either the complete object (and skips its records) or no object
     * (and writes them again). Returns false when S3 failed; the files stay and are retried.
     */
    boolean uploadPending() {
        if (pending.isEmpty()) {
            return true;
        }
        try {
            long safe = safeOffset();
            uploaded.removeIf(e -> e.end() < safe);
            List<FileEntry> named = new ArrayList<>(uploaded);
            pending.forEach(f -> named.add(f.entry()));
            store.put(markerKey(), new PartitionMarker(safe, named).toJson());
            for (Iterator<ClosedFile> it = pending.iterator(); it.hasNext(); ) {
                ClosedFile file = it.next();
                store.upload(file.local(), file.key());
                addUploaded(file.entry());
                Files.deleteIfExists(file.local());
                it.remove();
            }
            return true;
        } catch (IOException e) {
            LOG.warn("{}: {} files wait for upload and are retried: {}", tp, pending.size(), e.getMessage());
            return false;
        }
    }

    /** The lowest offset not yet in an uploaded file, or -1 before anything was seen. */
    long safeOffset() {
        if (nextOffset < 0) {
            return -1;
        }
        long safe = nextOffset;
        for (OpenFile file : open.values()) {
            safe = Math.min(safe, file.startOffset());
        }
        for (ClosedFile file : pending) {
            safe = Math.min(safe, file.startOffset());
        }
        return safe;
    }

    Collection<OpenFile> openFiles() {
        return open.values();
    }

    /** Partition revoked or task stopped: local files are dropped; their records are delivered again. */
    void discard() {
        open.values().forEach(OpenFile::discard);
        open.clear();
        for (ClosedFile file : pending) {
            try {
                Files.deleteIfExists(file.local());
            } catch (IOException ignored) {
                // the task's local dir is removed on stop
            }
        }
        pending.clear();
    }

    private boolean isUploaded(HourPartition hour, long offset) {
        for (FileEntry entry : uploaded) {
            if (entry.holds(hour, offset)) {
                return true;
            }
        }
        return false;
    }

    private void addUploaded(FileEntry entry) {
        uploaded.add(entry);
        uploadedUpTo = Math.max(uploadedUpTo, entry.end());
    }

    private String markerKey() {
        return paths.markerKey(tp.topic(), tp.partition());
    }
}
