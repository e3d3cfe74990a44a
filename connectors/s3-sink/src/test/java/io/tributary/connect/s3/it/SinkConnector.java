package io.tributary.connect.s3.it;

import io.tributary.cli.connectors.ConnectRestClient;
import io.tributary.connect.s3.S3ParquetSinkConnector;
import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.testing.DevStack;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** One sink connector on the test stack's worker: its config, and waiting until it has committed everything. */
final class SinkConnector {
    static final String PREFIX = "lake";

    private final DevStack stack;
    private final String name;
    private final String topic;
    private final int partitions;

    SinkConnector(DevStack stack, String name, String topic, int partitions) {
        this.stack = stack;
        this.name = name;
        this.topic = topic;
        this.partitions = partitions;
    }

    static Map<String, String> config(DevStack stack, String topic, String bucket, String s3Endpoint) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", S3ParquetSinkConnector.class.getName());
        c.put("tasks.max", "3");
        c.put("topics", topic);
        c.put("key.converter", S3SinkConfig.BYTE_ARRAY_CONVERTER);
        c.put(S3SinkConfig.VALUE_CONVERTER, S3SinkConfig.BYTE_ARRAY_CONVERTER);
        c.put(S3SinkConfig.S3_BUCKET, bucket);
        c.put(S3SinkConfig.S3_ENDPOINT, s3Endpoint);
        c.put(S3SinkConfig.S3_PATH_STYLE, "true");
        c.put(S3SinkConfig.S3_RETRY_BACKOFF_MS, "50");
        c.put(S3SinkConfig.SCHEMA_REGISTRY_URL, stack.config().registryUrl());
        c.put(S3SinkConfig.KAFKA_BOOTSTRAP, stack.config().bootstrapServers());
        c.put(S3SinkConfig.TOPICS_DIR, PREFIX);
        c.put(S3SinkConfig.FLUSH_SIZE, "50000");
        c.put(S3SinkConfig.ROTATE_SCHEDULE_INTERVAL_MS, "10000");
        c.put("consumer.override.max.poll.records", "5000");
        // A killed worker's consumer leaves the group after this, not after the 45 s default.
        c.put("consumer.override.session.timeout.ms", "10000");
        return c;
    }

    ConnectRestClient rest() {
        return new ConnectRestClient(stack.config().connectUrl());
    }

    void deploy(Map<String, String> config) {
        rest().putConfig(name, config);
        rest().awaitRunning(name, Integer.parseInt(config.get("tasks.max")), Duration.ofMinutes(2), s -> { });
    }

    /**
     * Waits until the connector's committed offsets reach the end of every partition (the sink
     * commits only what is in S3), printing progress; {@code during} runs between polls (fault injection).
     */
    void awaitCommitted(long expectedRecords, Duration timeout, Runnable during) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Instant nextReport = Instant.now();
        while (!committedAll(expectedRecords)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("The sink did not commit everything within " + timeout + ": end " + endOffsets()
                        + ", committed " + committedOffsets() + ", " + ConnectRestClient.summary(rest().status(name)));
            }
            if (Instant.now().isAfter(nextReport)) {
                System.out.printf("[%s] committed %,d of %,d records%n", name,
                        committedOffsets().values().stream().mapToLong(Long::longValue).sum(),
                        endOffsets().values().stream().mapToLong(Long::longValue).sum());
                nextReport = Instant.now().plusSeconds(5);
            }
            during.run();
            Thread.sleep(500);
        }
    }

    /** Whether the topic holds {@code expectedRecords} and the sink has committed all of them. */
    boolean committedAll(long expectedRecords) throws Exception {
        Map<TopicPartition, Long> end = endOffsets();
        Map<TopicPartition, Long> committed = committedOffsets();
        return end.values().stream().mapToLong(Long::longValue).sum() >= expectedRecords
                && end.entrySet().stream().allMatch(e -> e.getValue().equals(committed.get(e.getKey())));
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return stack.admin().listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private Map<TopicPartition, Long> committedOffsets() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = stack.admin()
                .listConsumerGroupOffsets("connect-" + name).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> out = new HashMap<>();
        offsets.forEach((tp, o) -> {
            if (o != null) {
                out.put(tp, o.offset());
            }
        });
        return out;
    }

    /** Waits until the bucket holds more Parquet objects than when called. */
    /**
     * Waits for a new Parquet object, or until the sink has committed all {@code expectedRecords}
     * (a fast sink can finish the load before every planned fault); returns whether an object came.
     */
    boolean awaitNewObjectsOrAllCommitted(String bucket, long expectedRecords, Duration timeout) throws Exception {
        long before = parquetObjects(bucket);
        Instant deadline = Instant.now().plus(timeout);
        while (parquetObjects(bucket) <= before) {
            if (committedAll(expectedRecords)) {
                return false;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("No new object in " + bucket + " within " + timeout + ": "
                        + ConnectRestClient.summary(rest().status(name)));
            }
            Thread.sleep(200);
        }
        return true;
    }

    private long parquetObjects(String bucket) {
        return stack.s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .filter(o -> o.key().endsWith(".parquet")).count();
    }

    DeadLetters.Read deadLetters(String dlqTopic, int expected, Duration timeout) {
        return DeadLetters.read(stack.config().bootstrapServers(), dlqTopic, expected, timeout);
    }
}
