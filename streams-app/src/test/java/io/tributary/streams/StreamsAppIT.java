package io.tributary.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.serde.AvroDeserializer;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.testing.DebeziumJson;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 mixed events (1% malformed) through the running app on the real broker and registry,
 * with the app stopped and restarted in the middle: lake rows + dead letters = exactly 100,000,
 * every valid event exactly once in read_committed output, every malformed one in the DLQ.
 */
@ExtendWith(DevStackExtension.class)
class StreamsAppIT {
    private static final int EVENTS = 100_000;
    private static final Instant BASE = Instant.now().minus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);

    @Test
    void exactlyOnceAcrossARestartWithDeadLetters(DevStack stack, @TempDir Path state) throws Exception {
        String prefix = DevStack.uniqueName("it").replace('-', '_');
        String eventsTopic = stack.createTopicNamed(prefix + ".events", 3);
        String mastersTopic = stack.createTopicNamed(prefix + ".shop.masters", 1);
        PipelineConfig config = ItPipelines.config(stack, prefix, eventsTopic, mastersTopic, state, Map.of());

        Set<String> valid = new HashSet<>();
        Set<String> malformed = new HashSet<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", stack.config().bootstrapServers(), "linger.ms", 20, "acks", "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long id = 1; id <= 3; id++) {
                producer.send(new ProducerRecord<>(mastersTopic, DebeziumJson.key(id), DebeziumJson.change("masters", "r",
                        DebeziumJson.MASTERS, DebeziumJson.master(id, "c" + id, "ソース" + id, "cat"), BASE.toEpochMilli())));
            }
            producer.flush();
            for (int i = 0; i < EVENTS; i++) {
                String json;
                if (i % 100 == 0) {
                    json = i % 200 == 0 ? "{\"event_id\":\"bad-" + i + "\",\"event_time\":\"not a time\"}" : "{broken " + i;
                    malformed.add(json);
                } else {
                    json = "{\"event_id\":\"e-" + i + "\",\"event_time\":" + BASE.plusSeconds(i).toEpochMilli()
                            + ",\"user\":{\"id\":\"u-" + (i % 500) + "\"},\"source_type_id\":" + (i % 4) + "}";
                    valid.add("e-" + i);
                }
                producer.send(new ProducerRecord<>(eventsTopic, ("u-" + (i % 500)).getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8)));
            }
        }

        Map<String, Object> avro = Map.of("schema.registry.url", stack.config().registryUrl());
        try (KafkaConsumer<String, GenericRecord> lake = ItPipelines.consumer(stack, new AvroDeserializer(avro));
                KafkaConsumer<String, byte[]> dlq = ItPipelines.consumer(stack, new ByteArrayDeserializer())) {
            lake.subscribe(List.of(prefix + ".lake.app_events"));
            dlq.subscribe(List.of(prefix + ".dlq"));
            List<GenericRecord> rows = new ArrayList<>();
            List<String> deadValues = new ArrayList<>();

            TributaryStreamsApp first = new TributaryStreamsApp(config);
            first.start();
            try {
                drainUntil(lake, dlq, rows, deadValues, () -> rows.size() >= EVENTS / 3, Duration.ofMinutes(3));
            } finally {
                first.close(); // stopped mid-stream
            }
            assertThat(first.awaitStopped(Duration.ofSeconds(10))).as("the app reports that it stopped").isTrue();
            try (TributaryStreamsApp second = new TributaryStreamsApp(config)) {
                second.start();
                drainUntil(lake, dlq, rows, deadValues, () -> rows.size() + deadValues.size() >= EVENTS, Duration.ofMinutes(5));
                drainUntil(lake, dlq, rows, deadValues, () -> false, Duration.ofSeconds(5)); // nothing more may come
            }

            assertThat(rows.size() + deadValues.size()).isEqualTo(EVENTS);
            List<String> ids = rows.stream().map(r -> r.get("event_id").toString()).toList();
            assertThat(ids).hasSize(valid.size()).doesNotHaveDuplicates();
            assertThat(new HashSet<>(ids)).isEqualTo(valid);
            assertThat(deadValues).hasSize(malformed.size()).doesNotHaveDuplicates();
            assertThat(new HashSet<>(deadValues)).isEqualTo(malformed);
            try (KafkaConsumer<String, GenericRecord> masters = ItPipelines.consumer(stack, new AvroDeserializer(avro))) {
                masters.subscribe(List.of(prefix + ".lake.masters"));
                List<String> masterIds = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 15_000;
                while (System.currentTimeMillis() < deadline) {
                    masters.poll(Duration.ofMillis(200)).forEach(r -> masterIds.add(r.value().get("id").toString()));
                }
                assertThat(masterIds).as("the changes app's lake rows of the masters").containsExactlyInAnyOrder("1", "2", "3");
            }
            // Every event on every partition, before and after the restart, finds its master (the
            // masters were committed before the events); id 0 has none.
            assertThat(rows).allSatisfy(r -> {
                long id = (Long) r.get("source_type_id");
                assertThat(String.valueOf(r.get("source_type_name"))).as("name of %s", r.get("event_id"))
                        .isEqualTo(id == 0 ? "null" : "ソース" + id);
                assertThat(r.get("_enrichment").toString()).isEqualTo(id == 0 ? "missing:source_type" : "ok");
            });
        }
    }

    private static void drainUntil(KafkaConsumer<String, GenericRecord> lake, KafkaConsumer<String, byte[]> dlq,
            List<GenericRecord> rows, List<String> dead, java.util.function.BooleanSupplier done, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!done.getAsBoolean() && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, GenericRecord> r : lake.poll(Duration.ofMillis(200))) {
                rows.add(r.value());
            }
            for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(50))) {
                dead.add(new String(r.value(), StandardCharsets.UTF_8));
            }
        }
    }
}
