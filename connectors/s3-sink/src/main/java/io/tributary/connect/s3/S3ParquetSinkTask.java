package io.tributary.connect.s3;

import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.connect.s3.kafka.TopicIds;
import io.tributary.connect.s3.metrics.SinkMetrics;
import io.tributary.connect.s3.record.RecordDecoder.Decoded;
import io.tributary.connect.s3.record.RecordDecoder;
import io.tributary.connect.s3.storage.SinkStorage;
import io.tributary.connect.s3.writer.LocalBuffer;
import io.tributary.connect.s3.writer.SinkWriter;
import io.tributary.lake.store.S3Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connect's side of the sink: decodes records, hands them to the {@link SinkWriter}, reports the
 * ones it cannot read to the errant record reporter, pauses partitions whose uploads fail (and those
 * a newer task has fenced), and commits only offsets whose records are in S3 ({@link #preCommit}).
 */
public final class S3ParquetSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(S3ParquetSinkTask.class);

    private final Clock clock;
    private S3Storage storage;
    private TopicIds topicIds;
    private LocalBuffer buffer;
    private SinkWriter writer;
    private RecordDecoder decoder;
    private ErrantRecordReporter errants;
    private final Set<TopicPartition> paused = new HashSet<>();

    public S3ParquetSinkTask() {
        this(Clock.systemUTC());
    }

    S3ParquetSinkTask(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        S3SinkConfig config = new S3SinkConfig(props);
        List<S3SinkConfig.Problem> problems = S3SinkConfig.connectorProblems(props);
        if (!problems.isEmpty()) {
            throw new ConnectException(String.join("; ", problems.stream().map(S3SinkConfig.Problem::message).toList()));
        }
        try {
            buffer = new LocalBuffer(Path.of(config.localBufferDir()));
        } catch (IOException e) {
            throw new ConnectException("Cannot create the local buffer dir under " + config.localBufferDir() + " ("
                    + e.getMessage() + "); set " + S3SinkConfig.LOCAL_BUFFER_DIR + " to a writable directory", e);
        }
        storage = SinkStorage.open(config);
        topicIds = TopicIds.connect(config);
        writer = new SinkWriter(config, storage, buffer, metrics());
        decoder = RecordDecoder.of(config);
        errants = context.errantRecordReporter();
        LOG.info("S3 Parquet sink task started: bucket {}, local files in {}", config.bucket(), buffer.dir());
    }

    /** The task's metrics in the worker's registry; none on workers before Kafka 4.1, which have no plugin metrics. */
    private SinkMetrics metrics() {
        try {
            return SinkMetrics.of(context.pluginMetrics(), Version.get());
        } catch (LinkageError | UnsupportedOperationException e) {
            LOG.warn("This Connect worker offers no plugin metrics (Kafka 4.1 or later does): the sink's metrics are off");
            return SinkMetrics.NONE;
        }
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        Map<String, String> ids;
        try {
            ids = topicIds.of(partitions.stream().map(TopicPartition::topic).distinct().toList());
        } catch (IOException e) {
            throw new ConnectException(e.getMessage(), e);
        }
        for (TopicPartition tp : partitions) {
            try {
                long resumeAt = writer.open(tp, ids.get(tp.topic()));
                if (resumeAt >= 0) {
                    context.offset(tp, resumeAt);
                }
            } catch (IOException e) {
                throw new ConnectException("Cannot take " + tp + " over in S3: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        long now = clock.millis();
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            long offset = record.originalKafkaOffset();
            Decoded decoded;
            try {
                decoded = decoder.decode(record);
            } catch (DataException e) {
                reportErrant(record, e);
                decoded = null;
            }
            try {
                if (decoded == null) {
                    writer.skip(tp, offset);
                } else {
                    writer.write(tp, offset, decoded.time(), decoded.value(), decoded.bytes(), now);
                }
            } catch (IOException e) {
                throw new ConnectException("Cannot write " + tp + " offset " + offset + " to a local Parquet file in "
                        + buffer.dir() + ": " + e.getMessage(), e);
            }
        }
        flush(now);
    }

    /** Commits, per partition, the lowest offset whose record is not yet in an uploaded file. */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        flush(clock.millis());
        Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
        writer.safeOffsets().forEach((tp, offset) -> {
            if (currentOffsets.containsKey(tp)) {
                safe.put(tp, new OffsetAndMetadata(offset));
            }
        });
        return safe;
    }

    /** Uploads what is due; pauses partitions whose uploads fail (back-pressure) and resumes them once they succeed. */
    private void flush(long now) {
        Set<TopicPartition> failing;
        try {
            failing = writer.flush(now);
        } catch (IOException e) {
            throw new ConnectException("Cannot finish a local Parquet file in " + buffer.dir() + ": " + e.getMessage(), e);
        }
        Set<TopicPartition> recovered = new HashSet<>(paused);
        recovered.removeAll(failing);
        failing.removeAll(paused);
        if (!failing.isEmpty()) {
            LOG.warn("Pausing {} until their files reach S3", failing);
            context.pause(failing.toArray(TopicPartition[]::new));
            paused.addAll(failing);
        }
        if (!recovered.isEmpty()) {
            LOG.info("Resuming {}: their files are in S3", recovered);
            context.resume(recovered.toArray(TopicPartition[]::new));
            paused.removeAll(recovered);
        }
    }

    private void reportErrant(SinkRecord record, DataException e) {
        if (errants == null) {
            throw new ConnectException("Cannot read " + record.topic() + "-" + record.kafkaPartition() + " offset "
                    + record.kafkaOffset() + " and this worker has no errant record reporter: " + e.getMessage(), e);
        }
        LOG.warn("Reporting {}-{} offset {} as errant: {}", record.topic(), record.kafkaPartition(), record.kafkaOffset(),
                e.getMessage());
        errants.report(record, e);
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        writer.close(partitions);
        paused.removeAll(partitions);
    }

    @Override
    public void stop() {
        if (writer != null) {
            writer.closeAll();
        }
        if (storage != null) {
            storage.close();
        }
        if (topicIds != null) {
            topicIds.close();
        }
        if (buffer != null) {
            try {
                buffer.close();
            } catch (IOException e) {
                LOG.warn("Could not delete the local buffer dir {}: {}", buffer.dir(), e.getMessage());
            }
        }
    }
}
