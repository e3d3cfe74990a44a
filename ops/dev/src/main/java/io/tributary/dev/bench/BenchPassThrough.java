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
 * record unchanged to another topic, until the JVM is stopped. Its clients are configured as Kafka
 * Streams configures its own (a longer linger and bigger polls than the plain client defaults), so
 * that the comparison with the pipeline is like for like; without transactions, it is the ceiling
 * of moving these bytes at all.
 *
 * <p>Usage: {@code BenchPassThrough BOOTSTRAP_SERVERS INPUT_TOPIC OUTPUT_TOPIC}
 */
public final class BenchPassThrough {
    /** Kafka Streams' overrides of the client defaults (StreamsConfig's consumer and producer defaults). */
    static final int STREAMS_MAX_POLL_RECORDS = 1000;
    static final int STREAMS_LINGER_MS = 100;

    private BenchPassThrough() {
    }

    public static void main(String[] args) {
        String bootstrap = args[0];
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                        "group.id", "bench-pass-through-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                        "max.poll.records", STREAMS_MAX_POLL_RECORDS), new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                        "linger.ms", STREAMS_LINGER_MS),
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
