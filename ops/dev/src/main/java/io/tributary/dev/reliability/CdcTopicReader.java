package io.tributary.dev.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a Debezium topic of the ledger table from the beginning and counts each change by its
 * identity (row id, operation, version), to show what Debezium delivered: every committed change
 * at least once, and how many it sent more than once.
 */
public final class CdcTopicReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CdcTopicReader() {
    }

    /**
     * Counts per change on {@code topic}, reading until {@code enough} holds for them or the timeout
     * passes (Debezium may still be catching up after a fault).
     */
    public static Map<LedgerDatabase.Change, Integer> read(String bootstrapServers, String topic,
            Predicate<Map<LedgerDatabase.Change, Integer>> enough, Duration timeout) {
        Map<LedgerDatabase.Change, Integer> counts = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
                "enable.auto.commit", false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!enough.test(counts) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null) {
                        counts.merge(change(r.value()), 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

    private static LedgerDatabase.Change change(byte[] value) {
        try {
            JsonNode payload = JSON.readTree(value).path("payload");
            String op = payload.path("op").asText();
            JsonNode row = payload.path("d".equals(op) ? "before" : "after");
            return new LedgerDatabase.Change(row.path("id").asLong(), op, row.path("version").asInt());
        } catch (IOException e) {
            throw new IllegalStateException("Not a Debezium change event on the ledger table's topic", e);
        }
    }
}
