package io.tributary.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DevStackExtension.class)
class KafkaBrokerIT {

    @Test
    void transactionalRoundTripShowsOnlyCommittedRecordsToReadCommitted(DevStack stack) throws Exception {
        String topic = stack.createTopic("eos", 2);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", stack.config().bootstrapServers(),
                "transactional.id", DevStack.uniqueName("tx")), new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "committed-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k9", "aborted"));
            producer.flush();
            producer.abortTransaction();
        }

        assertThat(readAll(stack, topic, "read_committed", 5)).containsExactlyInAnyOrder(
                "committed-0", "committed-1", "committed-2", "committed-3", "committed-4");
        assertThat(readAll(stack, topic, "read_uncommitted", 6)).contains("aborted").hasSize(6);
    }

    /** Reads until {@code expected} values arrived, then polls once more so extra records would show. */
    private static List<String> readAll(DevStack stack, String topic, String isolation, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", stack.config().bootstrapServers(),
                "group.id", DevStack.uniqueName("reader"),
                "auto.offset.reset", "earliest",
                "isolation.level", isolation), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                values.add(r.value());
            }
        }
        return values;
    }
}
