package io.tributary.connect.s3.writer;

import io.tributary.lake.marker.Owner;
import io.tributary.lake.marker.PartitionMarker.FileEntry;
import io.tributary.lake.marker.PartitionMarker;
import io.tributary.lake.store.ObjectStore.Versioned;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.store.PreconditionFailedException;
import io.tributary.lake.store.WriteCondition;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's marker as this writer's claim on the partition. Opening the partition claims it
 * with the next writer generation; every later version is written only while the claim holds.
 *
 * <p>With conditional writes each version replaces exactly the version this writer last wrote
 * ({@code If-Match} its ETag; {@code If-None-Match: *} when there was none), so once another task
 * has claimed the partition the old writer's next marker write fails and it is fenced. Without them
 * the writer re-reads the marker before and after its own write and before each upload, and stops
 * when it finds a newer generation: that narrows a zombie's window to the requests it has in
 * flight, but cannot close it (README, "Stores without conditional writes").
 */
final class PartitionOwnership {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionOwnership.class);
    /** Takeovers in a row lost to other claims before the task gives up (and Connect restarts it). */
    private static final int ATTEMPTS = 5;

    /** What a claim took over: where to resume, the files named above it, and whether they predate fencing. */
    record Claim(long safeOffset, List<FileEntry> files, boolean legacy) {
    }

    private final TopicPartition tp;
    private final String key;
    private final Owner owner;
    private final ObjectStore store;
    private final boolean conditional;
    private final String writer = UUID.randomUUID().toString();
    private long generation;
    /** The ETag of this writer's last version; null when the key had no object. */
    private String etag;

    PartitionOwnership(TopicPartition tp, String key, Owner owner, ObjectStore store, boolean conditional) {
        this.tp = tp;
        this.key = key;
        this.owner = owner;
        this.store = store;
        this.conditional = conditional;
    }

    /**
     * Takes the partition over: reads the marker and writes it back with the next generation and
     * this writer's id. The safe offset and files carry over from a marker of this owner or from a
     * legacy one; a marker of another owner is ignored with a warning (its offsets say nothing
     * about this topic's records), and so is its content, but its generation still rises.
     */
    Claim claim() throws IOException {
        Claim inherited = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<Versioned> current = store.get(key);
            PartitionMarker base = current.isPresent() ? parse(current.get()) : null;
            if (inherited != null && base != null && base.writtenBy(owner, writer)) {
                etag = current.get().etag();
                return inherited; // the claim landed, but its answer was lost and the retry failed on it
            }
            inherited = inherit(base);
            generation = (base == null ? 0 : base.generation()) + 1;
            byte[] claimed = PartitionMarker.of(owner, generation, writer, inherited.safeOffset(), inherited.files()).toJson();
            etag = current.map(Versioned::etag).orElse(null);
            if (conditional ? replaced(claimed) : putAndCheck(claimed)) {
                return inherited;
            }
            LOG.info("{}: {} changed while this task claimed it (another task claimed it too); reading it again", tp, key);
        }
        throw new IOException("Another writer claimed " + key + " " + ATTEMPTS + " times while this task took " + tp
                + " over; Connect restarts the task");
    }

    private Claim inherit(PartitionMarker base) {
        if (base == null) {
            return new Claim(-1, List.of(), false);
        }
        if (base.legacy()) {
            LOG.info("{} has the format from before fencing (no connector, topic id or generation); it is taken as "
                    + "this connector's marker for {} and rewritten in the current format", key, owner);
            return new Claim(base.safeOffset(), base.files(), true);
        }
        if (!base.owner().orElseThrow().equals(owner)) {
            LOG.warn("{} belongs to {}, not to {} (the topic was deleted and created again, the cluster changed, or "
                    + "another connector wrote here): its offsets are ignored and {} resumes from the committed offset",
                    key, base.owner().orElseThrow(), owner, tp);
            return new Claim(-1, List.of(), false);
        }
        return new Claim(base.safeOffset(), base.files(), false);
    }

    long generation() {
        return generation;
    }

    /**
     * Writes the next version of the marker: the safe offset and every file uploaded, or about to
     * be, at or above it. Throws {@link FencedException} when a newer writer has claimed the
     * partition; nothing is written then.
     */
    void publish(long safeOffset, List<FileEntry> files) throws IOException, FencedException {
        byte[] next = PartitionMarker.of(owner, generation, writer, safeOffset, files).toJson();
        if (!conditional) {
            checkStillOwner();
            store.put(key, next, WriteCondition.NONE);
            checkStillOwner();
            return;
        }
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (replaced(next)) {
                return;
            }
            // The version changed: a newer writer (fenced), or one that may be overwritten (see judge).
            Optional<Versioned> current = store.get(key);
            judge(current);
            etag = current.map(Versioned::etag).orElse(null);
        }
        throw new IOException(key + " changed " + ATTEMPTS + " times in a row while " + tp + " wrote it; retried later");
    }

    /** Without conditional writes: stops a writer whose claim has been taken over before each of its uploads. */
    void beforeUpload() throws IOException, FencedException {
        if (!conditional) {
            checkStillOwner();
        }
    }

    private void checkStillOwner() throws IOException, FencedException {
        judge(store.get(key));
    }

    /**
     * Returns when this writer may write the marker over {@code current}: it wrote that version
     * itself (a retried request whose first answer was lost), the marker is gone, or an older
     * writer without fencing overwrote it. Throws when another owner or a generation at least as
     * new as this one holds it.
     */
    private void judge(Optional<Versioned> version) throws IOException, FencedException {
        if (version.isEmpty()) {
            LOG.warn("{} was deleted while {} wrote the partition; it is written again", key, tp);
            return;
        }
        PartitionMarker current = parse(version.get());
        if (!current.writtenBy(owner, writer)) {
            if (current.owner().isPresent() && (!current.owner().get().equals(owner) || current.generation() >= generation)) {
                throw new FencedException(tp, current, generation);
            }
            LOG.warn("{} was overwritten by an older writer of {} (generation {}, without fencing: an older plugin "
                    + "version or a store without conditional writes); written again at generation {}; records of files "
                    + "it uploaded since may be in S3 twice", key, tp, current.generation(), generation);
        }
    }

    /** A conditional PUT of {@code content} over the version this writer knows; false when that version changed. */
    private boolean replaced(byte[] content) throws IOException {
        try {
            etag = store.put(key, content, etag == null ? WriteCondition.ABSENT : WriteCondition.matching(etag));
            return true;
        } catch (PreconditionFailedException changed) {
            return false;
        }
    }

    /** Without conditional writes: a plain PUT, then a read showing whether another claim overwrote it. */
    private boolean putAndCheck(byte[] content) throws IOException {
        store.put(key, content, WriteCondition.NONE);
        Optional<Versioned> after = store.get(key);
        return after.isPresent() && parse(after.get()).writtenBy(owner, writer);
    }

    private PartitionMarker parse(Versioned object) throws IOException {
        try {
            return PartitionMarker.fromJson(object.content());
        } catch (IOException e) {
            throw new IOException("The marker " + key + " is unreadable (" + e.getMessage() + "). Delete it to resume "
                    + "from the committed offset; records since the last commit may then be written twice.", e);
        }
    }
}
