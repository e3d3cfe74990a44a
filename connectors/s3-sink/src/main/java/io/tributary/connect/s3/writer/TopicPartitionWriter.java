package io.tributary.connect.s3.writer;

import io.tributary.connect.s3.metrics.SinkMetrics;
import io.tributary.connect.s3.rotation.RotationPolicy;
import io.tributary.connect.s3.rotation.RotationReason;
import io.tributary.lake.marker.PartitionMarker.FileEntry;
import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one topic partition: one open file per table hour, closed files waiting for upload, the
 * files already uploaded at or above the safe offset (from this task or, after a takeover, from
 * the partition marker), and the files the previous writer had in flight ({@link InFlightFiles}).
 * The safe offset is the lowest offset not yet in an uploaded file; it is the only offset ever
 * committed to Kafka or written to the marker. Once a newer writer has claimed the partition
 * ({@link PartitionOwnership}), this one is fenced: it drops its files and writes nothing more.
 */
final class TopicPartitionWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TopicPartitionWriter.class);

    /** What became of one record. */
    enum Outcome { WRITTEN, REDELIVERED, ALREADY_IN_S3, FENCED }

    private final TopicPartition tp;
    private final String table;
    private final LakePath paths;
    private final RotationPolicy policy;
    private final OpenFileFactory files;
    private final PartitionOwnership ownership;
    private final FileUploader uploader;
    private final SinkMetrics metrics;
    private final Map<HourPartition, OpenFile> open = new HashMap<>();
    private final InFlightFiles inFlight = new InFlightFiles();
    private final List<ClosedFile> pending = new ArrayList<>();
    private final List<FileEntry> uploaded = new ArrayList<>();
    /** The highest offset any uploaded file holds; records above it cannot be in S3 yet. */
    private long uploadedUpTo = -1;
    /** The offset after the last record seen; -1 before the first record (or marker). */
    private long nextOffset = -1;
    private boolean fenced;

    TopicPartitionWriter(TopicPartition tp, String table, LakePath paths, RotationPolicy policy, OpenFileFactory files,
                         PartitionOwnership ownership, FileUploader uploader, SinkMetrics metrics) {
        this.tp = tp;
        this.table = table;
        this.paths = paths;
        this.policy = policy;
        this.files = files;
        this.ownership = ownership;
        this.uploader = uploader;
        this.metrics = metrics;
    }

    /**
     * Claims the partition and takes over its marker. Returns the offset to resume from, or -1 when
     * there is none (a new partition, or a marker of another owner: Connect's committed offset
     * stands). Named files that S3 holds are skipped on replay; the others are written again to
     * the same keys.
     */
    long recover() throws IOException {
        PartitionOwnership.Claim claim = ownership.claim();
        uploader.treatUnownedAsOwn(claim.legacy());
        for (FileEntry entry : claim.files()) {
            if (uploader.holdsOwn(entry.key())) {
                addUploaded(entry);
            } else {
                inFlight.add(entry);
                LOG.info("{} was not in S3 when this task took {} over; its records are written again to the same key",
                        entry.key(), tp);
            }
        }
        nextOffset = claim.safeOffset();
        LOG.info("{} claimed at generation {}: resumes at offset {}; {} uploaded files above it are skipped on replay, "
                + "{} in-flight files written again", tp, ownership.generation(), nextOffset, uploaded.size(),
                inFlight.entries().size());
        return nextOffset;
    }

    Outcome write(long offset, long recordTime, GenericRecord record, int inputBytes, OpenFileBudget budget, long nowMillis)
            throws IOException {
        if (fenced) {
            return Outcome.FENCED;
        }
        if (offset < nextOffset) {
            return Outcome.REDELIVERED;
        }
        nextOffset = offset + 1;
        inFlight.passed(offset).forEach(this::queue);
        HourPartition hour = LakePath.hourOf(recordTime);
        if (offset <= uploadedUpTo && isUploaded(hour, offset)) {
            return Outcome.ALREADY_IN_S3;
        }
        FileEntry original = inFlight.holding(hour, offset);
        if (original != null) {
            ClosedFile done = inFlight.append(original, offset, recordTime, record, inputBytes, files, table,
                    budget.nextWriteSequence(), nowMillis);
            if (done != null) {
                queue(done);
            }
            return Outcome.WRITTEN;
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
    void skip(long offset) throws IOException {
        if (!fenced) {
            nextOffset = Math.max(nextOffset, offset + 1);
            inFlight.passed(offset).forEach(this::queue);
        }
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
        queue(file.finish(paths.file(table, file.hour(), tp.topic(), tp.partition(), file.startOffset(), file.endOffset()),
                reason));
    }

    private void queue(ClosedFile closed) {
        pending.add(closed);
        metrics.rotated(closed.reason());
        LOG.info("Rotated {}: {} records, {} bytes, reason {}", closed.key(), closed.records(), closed.bytes(), closed.reason());
    }

    /**
     * Uploads the closed files. The marker goes first and names them, so a task that dies during an
     * upload finds, after restart, either the complete object (and skips its records) or no object
     * (and writes them again, to the same key). Returns false when S3 failed (the files stay and are
     * retried) or this writer is fenced.
     */
    boolean uploadPending() {
        try {
            boolean uploads = !pending.isEmpty();
            while (!fenced && !pending.isEmpty()) {
                uploadRound();
            }
            if (!fenced && !uploads && namesPassedFiles()) {
                // The next upload round drops passed files from the marker; an idle partition makes none,
                // and a swap (replay, compaction) must leave a file alone while the marker names it.
                publishMarker();
            }
            return !fenced;
        } catch (FencedException e) {
            fenced = true;
            int dropped = discard();
            LOG.warn("{}; its {} unfinished files are dropped", e.getMessage(), dropped);
            return false;
        } catch (IOException e) {
            metrics.uploadFailed();
            LOG.warn("{}: {} files wait for upload and are retried: {}", tp, pending.size(), e.getMessage());
            return false;
        }
    }

    /** Names the pending files in a new marker version, then uploads them; stops early at a file to rename. */
    private void uploadRound() throws IOException, FencedException {
        publishMarker();
        while (!pending.isEmpty()) {
            ClosedFile file = pending.get(0);
            ownership.beforeUpload();
            long started = System.nanoTime();
            FileUploader.Result result = uploader.upload(file);
            if (result == FileUploader.Result.KEY_TAKEN) {
                pending.set(0, file.withKey(uploader.renamed(file.key())));
                return; // the next round names it under its new key before uploading it
            }
            if (result == FileUploader.Result.UPLOADED) {
                metrics.uploaded(file.bytes(), (System.nanoTime() - started) / 1_000_000);
            }
            addUploaded(file.entry());
            Files.deleteIfExists(file.local());
            pending.remove(0);
        }
    }

    /** A new marker version: the safe offset, and the files at or above it (uploaded, pending, in flight). */
    private void publishMarker() throws IOException, FencedException {
        long safe = safeOffset();
        uploaded.removeIf(e -> e.end() < safe);
        List<FileEntry> named = new ArrayList<>(uploaded);
        pending.forEach(f -> named.add(f.entry()));
        named.addAll(inFlight.entries());
        ownership.publish(safe, named);
    }

    /** Whether the marker still names an uploaded file that the safe offset has passed. */
    private boolean namesPassedFiles() {
        long safe = safeOffset();
        return uploaded.stream().anyMatch(e -> e.end() < safe);
    }

    /** The lowest offset not yet in an uploaded file, or -1 before anything was seen. */
    long safeOffset() {
        if (nextOffset < 0) {
            return -1;
        }
        long safe = Math.min(nextOffset, inFlight.lowestOpenStart());
        for (OpenFile file : open.values()) {
            safe = Math.min(safe, file.startOffset());
        }
        for (ClosedFile file : pending) {
            safe = Math.min(safe, file.startOffset());
        }
        return safe;
    }

    /** Offsets received above the safe offset: records not yet in S3 (none once fenced: the new owner has them). */
    long uncommitted() {
        long safe = safeOffset();
        return fenced || safe < 0 ? 0 : nextOffset - safe;
    }

    boolean fenced() {
        return fenced;
    }

    /** The open files the rotation limits may close (files written again after a takeover are not among them). */
    Collection<OpenFile> openFiles() {
        return open.values();
    }

    /**
     * Partition revoked, task stopped or fenced: local files are dropped (their records are delivered
     * again, or belong to the newer writer). Returns how many.
     */
    int discard() {
        int dropped = open.size() + pending.size() + inFlight.discard();
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
        return dropped;
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
}
