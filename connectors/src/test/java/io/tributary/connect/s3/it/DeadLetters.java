package io.tributary.connect.s3.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a Connect dead-letter topic: each record's error message header. */
final class DeadLetters {
    private DeadLetters() {
    }

    /** Reads until {@code expected} records arrived, then 3 s more to catch any extra; returns their error messages. */
    static List<String> read(String bootstrap, String topic, int expected, Duration timeout) {
        List<String> messages = new ArrayList<>();
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
                    Header h = r.headers().lastHeader("__connect.errors.exception.message");
                    messages.add(h == null ? "(no error header)" : new String(h.value(), StandardCharsets.UTF_8));
                }
                if (settle == null && messages.size() >= expected) {
                    settle = Instant.now().plusSeconds(3);
                }
            }
        }
        return messages;
    }
}
