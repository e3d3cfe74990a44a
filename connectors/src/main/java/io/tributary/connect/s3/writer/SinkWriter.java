package io.tributary.connect.s3.writer;

import io.tributary.connect.s3.S3SinkConfig;
import io.tributary.connect.s3.partitioner.LakePath;
import io.tributary.connect.s3.rotation.RotationPolicy;
import io.tributary.connect.s3.rotation.RotationReason;
import io.tributary.connect.s3.storage.ObjectStore;
import io.tributary.connect.s3.writer.TopicPartitionWriter.Outcome;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Everything one task writes, independent of Connect so that the state machine can be tested
 * alone: a {@link TopicPartitionWriter} per assigned partition, and the task-wide limits on open
 * files and buffered memory that keep the heap bounded however many hours are open at once.
 */
public final class SinkWriter implements OpenFileBudget {
    /** Memory is checked this often (in records); the slack is a few hundred records. */
    private static final int MEMORY_CHECK_INTERVAL = 256;

    private final S3SinkConfig config;
    private final ObjectStore store;
    private final OpenFileFactory files;
    private final RotationPolicy policy;
    private final LakePath paths;
    private final Map<TopicPartition, TopicPartitionWriter> writers = new HashMap<>();
    private long writeSequence;

    public SinkWriter(S3SinkConfig config, ObjectStore store, LocalBuffer buffer) {
        this.config = config;
        this.store = store;
        this.files = OpenFileFactory.of(buffer, config);
        this.policy = RotationPolicy.of(config);
        this.paths = new LakePath(config.topicsDir());
    }

    /** Starts writing a partition; returns the offset to resume from (from its marker), or -1. */
    public long open(TopicPartition tp) throws IOException {
        TopicPartitionWriter writer = new TopicPartitionWriter(tp, config.tableFor(tp.topic()), paths, policy, files, store);
        long resumeAt = writer.recover();
        writers.put(tp, writer);
        return resumeAt;
    }

    /** Stops writing partitions (revoked, or the task stops); their unfinished files are dropped. */
    public void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            TopicPartitionWriter writer = writers.remove(tp);
            if (writer != null) {
                writer.discard();
            }
        }
    }

    /** Drops every partition's unfinished files (task stop). */
    public void closeAll() {
        close(Set.copyOf(writers.keySet()));
    }

    /**
     * Writes one decoded record ({@code inputBytes}: its serialized size, for the memory estimate);
     * records at or below what was written or uploaded before are skipped.
     */
    public Outcome write(TopicPartition tp, long offset, long recordTime, GenericRecord record, int inputBytes,
                         long nowMillis) throws IOException {
        Outcome outcome = writer(tp).write(offset, recordTime, record, inputBytes, this, nowMillis);
        if (outcome == Outcome.WRITTEN && writeSequence % MEMORY_CHECK_INTERVAL == 0) {
            enforceMemoryLimit();
        }
        return outcome;
    }

    /** Marks a record that was reported as errant as done. */
    public void skip(TopicPartition tp, long offset) {
        writer(tp).skip(offset);
    }

    /**
     * Closes the files whose wall-clock flush is due and uploads every closed file. Returns the
     * partitions whose uploads failed (S3 unavailable): the caller pauses them until they succeed.
     */
    public Set<TopicPartition> flush(long nowMillis) throws IOException {
        Set<TopicPartition> failing = new HashSet<>();
        for (Map.Entry<TopicPartition, TopicPartitionWriter> e : writers.entrySet()) {
            e.getValue().tick(nowMillis);
            if (!e.getValue().uploadPending()) {
                failing.add(e.getKey());
            }
        }
        return failing;
    }

    /** The offsets safe to commit: everything below them is in S3. Partitions with nothing seen are left out. */
    public Map<TopicPartition, Long> safeOffsets() {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        writers.forEach((tp, writer) -> {
            long safe = writer.safeOffset();
            if (safe >= 0) {
                offsets.put(tp, safe);
            }
        });
        return offsets;
    }

    public int openFileCount() {
        return writers.values().stream().mapToInt(w -> w.openFiles().size()).sum();
    }

    @Override
    public void beforeOpen() throws IOException {
        while (openFileCount() >= config.maxOpenFiles()) {
            rotateFirst(RotationReason.OPEN_FILE_LIMIT);
        }
    }

    @Override
    public long nextWriteSequence() {
        return ++writeSequence;
    }

    private void enforceMemoryLimit() throws IOException {
        while (estimatedHeapBytes() > config.maxBufferedBytes()) {
            rotateFirst(RotationReason.MEMORY_LIMIT);
        }
    }

    /** The heap the open files hold, as the memory cap estimates it. */
    public long estimatedHeapBytes() {
        long total = 0;
        for (TopicPartitionWriter writer : writers.values()) {
            for (OpenFile file : writer.openFiles()) {
                total += file.estimatedHeapBytes();
            }
        }
        return total;
    }

    /** Closes the least recently written file (open-file cap) or the one holding the most memory. */
    private void rotateFirst(RotationReason reason) throws IOException {
        TopicPartitionWriter owner = null;
        OpenFile chosen = null;
        for (TopicPartitionWriter writer : writers.values()) {
            for (OpenFile file : writer.openFiles()) {
                if (chosen == null || (reason == RotationReason.MEMORY_LIMIT
                        ? file.estimatedHeapBytes() > chosen.estimatedHeapBytes()
                        : file.lastWriteSequence() < chosen.lastWriteSequence())) {
                    owner = writer;
                    chosen = file;
                }
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("no open file to close for " + reason);
        }
        owner.rotate(chosen, reason);
    }

    private TopicPartitionWriter writer(TopicPartition tp) {
        TopicPartitionWriter writer = writers.get(tp);
        if (writer == null) {
            throw new IllegalStateException("a record of " + tp + " arrived before open() assigned the partition");
        }
        return writer;
    }
}
