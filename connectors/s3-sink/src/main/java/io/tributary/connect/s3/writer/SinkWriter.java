package io.tributary.connect.s3.writer;

import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.connect.s3.metrics.SinkMetrics;
import io.tributary.connect.s3.rotation.RotationPolicy;
import io.tributary.connect.s3.rotation.RotationReason;
import io.tributary.connect.s3.writer.TopicPartitionWriter.Outcome;
import io.tributary.lake.marker.Owner;
import io.tributary.lake.store.ConditionalWriteProbe;
import io.tributary.lake.store.ObjectStore;
import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one task writes, independent of Connect so that the state machine can be tested
 * alone: a {@link TopicPartitionWriter} per assigned partition, and the task-wide limits on open
 * files and buffered memory that keep the heap bounded however many hours are open at once. Each
 * partition's files and marker are its {@link Owner}'s: this connector and the topic's id.
 */
public final class SinkWriter implements OpenFileBudget {
    private static final Logger LOG = LoggerFactory.getLogger(SinkWriter.class);

    /** Memory is checked this often (in records); the slack is a few hundred records. */
    private static final int MEMORY_CHECK_INTERVAL = 256;

    private final S3SinkConfig config;
    private final ObjectStore store;
    private final OpenFileFactory files;
    private final RotationPolicy policy;
    private final LakePath paths;
    private final SinkMetrics metrics;
    private final Map<TopicPartition, TopicPartitionWriter> writers = new HashMap<>();
    private long writeSequence;
    /** Whether the store honours conditional writes; decided at the first open (s3.conditional.writes). */
    private Boolean conditional;

    public SinkWriter(S3SinkConfig config, ObjectStore store, LocalBuffer buffer) {
        this(config, store, buffer, SinkMetrics.NONE);
    }

    public SinkWriter(S3SinkConfig config, ObjectStore store, LocalBuffer buffer, SinkMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.store = store;
        this.files = OpenFileFactory.of(buffer, config);
        this.policy = RotationPolicy.of(config);
        this.paths = new LakePath(config.topicsDir());
    }

    /**
     * Claims a partition of the topic with id {@code topicId}; returns the offset to resume from
     * (from its marker), or -1 when Connect's committed offset stands.
     */
    public long open(TopicPartition tp, String topicId) throws IOException {
        Owner owner = new Owner(config.connectorName(), topicId);
        boolean conditionalWrites = conditionalWrites();
        PartitionOwnership ownership = new PartitionOwnership(tp, paths.markerKey(tp.topic(), tp.partition()), owner, store,
                conditionalWrites);
        TopicPartitionWriter writer = new TopicPartitionWriter(tp, config.tableFor(tp.topic()), paths, policy, files,
                ownership, new FileUploader(store, owner, conditionalWrites), metrics);
        long resumeAt = writer.recover();
        writers.put(tp, writer);
        return resumeAt;
    }

    /** Claims a partition for a tool outside Connect (the sink benchmark), which knows no topic id. */
    public long open(TopicPartition tp) throws IOException {
        return open(tp, "");
    }

    private boolean conditionalWrites() throws IOException {
        if (conditional == null) {
            S3SinkConfig.ConditionalWrites mode = config.conditionalWrites();
            boolean honoured = mode != S3SinkConfig.ConditionalWrites.OFF
                    && ConditionalWriteProbe.honoured(store, paths.probeKey(config.connectorName()));
            if (mode == S3SinkConfig.ConditionalWrites.REQUIRED && !honoured) {
                throw new IOException("the store does not honour S3 conditional writes (If-None-Match, If-Match), which "
                        + S3SinkConfig.S3_CONDITIONAL_WRITES + "=required demands; use a store that does, or set auto or off");
            }
            if (honoured) {
                LOG.info("The store honours S3 conditional writes: zombie writers are fenced by compare-and-swap on the markers");
            } else {
                LOG.warn("S3 conditional writes are {}: zombie writers are fenced by generation checks only, which leave "
                        + "a window for a write in flight during a takeover (README, Stores without conditional writes)",
                        mode == S3SinkConfig.ConditionalWrites.OFF ? "off" : "not honoured by this store");
            }
            conditional = honoured;
        }
        return conditional;
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
        } else if (outcome == Outcome.ALREADY_IN_S3 || outcome == Outcome.REDELIVERED) {
            metrics.skippedOnRecovery();
        }
        return outcome;
    }

    /** Marks a record that was reported as errant as done. */
    public void skip(TopicPartition tp, long offset) throws IOException {
        writer(tp).skip(offset);
    }

    /**
     * Closes the files whose wall-clock flush is due and uploads every closed file. Returns the
     * partitions to keep paused: those whose uploads failed (S3 unavailable), until they succeed,
     * and those fenced by a newer writer, until Connect revokes them.
     */
    public Set<TopicPartition> flush(long nowMillis) throws IOException {
        Set<TopicPartition> failing = new HashSet<>();
        for (Map.Entry<TopicPartition, TopicPartitionWriter> e : writers.entrySet()) {
            e.getValue().tick(nowMillis);
            if (!e.getValue().uploadPending()) {
                failing.add(e.getKey());
            }
        }
        metrics.state(openFileCount(), estimatedHeapBytes(), writers.values().stream().mapToLong(TopicPartitionWriter::uncommitted).sum());
        return failing;
    }

    /**
     * The offsets safe to commit: everything below them is in S3. Partitions with nothing seen, and
     * fenced ones (their new owner commits), are left out.
     */
    public Map<TopicPartition, Long> safeOffsets() {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        writers.forEach((tp, writer) -> {
            long safe = writer.safeOffset();
            if (safe >= 0 && !writer.fenced()) {
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
