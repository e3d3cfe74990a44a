package io.tributary.dev.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The baseline side of `tributary bench streams`, run in its own JVM: a consumer that produces each
 * record unchanged to another topic, with Kafka's default client settings (as Kafka Streams' own
 * clients have), until the JVM is stopped.
 *
 * <p>Usage: {@code BenchPassThrough BOOTSTRAP_SERVERS INPUT_TOPIC OUTPUT_TOPIC}
 */
public final class BenchPassThrough {
    private BenchPassThrough() {
    }

    public static void main(String[] args) {
        String bootstrap = args[0];
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                        "group.id", "bench-pass-through-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(args[1]));
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    producer.send(new ProducerRecord<>(args[2], r.key(), r.value()));
                }
            }
        }
    }
}
