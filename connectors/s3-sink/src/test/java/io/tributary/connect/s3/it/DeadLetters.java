package io.tributary.connect.s3.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a Connect dead-letter topic written with {@code errors.deadletterqueue.context.headers.enable}:
 * each reported source record with its error message. Connect reports at least once (a record read
 * again after a rebalance or a crash is reported again), so reports are counted apart from records.
 */
final class DeadLetters {
    /**
     * @param messageBySource the error message per source record, keyed {@code topic-partition@offset}
     * @param reports         dead letters read, repeats included
     */
    record Read(Map<String, String> messageBySource, int reports) {
    }

    private DeadLetters() {
    }

    /** Reads until {@code expected} source records were reported, then 3 s more to catch any extra. */
    static Read read(String bootstrap, String topic, int expected, Duration timeout) {
        Map<String, String> messages = new LinkedHashMap<>();
        int reports = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + System.nanoTime()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(timeout);
            Instant settle = null;
            while (Instant.now().isBefore(deadline) && (settle == null || Instant.now().isBefore(settle))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String source = header(r, "__connect.errors.topic") + "-" + header(r, "__connect.errors.partition")
                            + "@" + header(r, "__connect.errors.offset");
                    messages.putIfAbsent(source, header(r, "__connect.errors.exception.message"));
                    reports++;
                }
                if (settle == null && messages.size() >= expected) {
                    settle = Instant.now().plusSeconds(3);
                }
            }
        }
        return new Read(messages, reports);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? "(no " + key + " header)" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
