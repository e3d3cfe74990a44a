package io.tributary.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.serde.AvroDeserializer;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.testing.DebeziumJson;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import io.tributary.testing.FreePorts;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison pills on the real broker with the running app: each class of BadInputTest that a real
 * broker treats differently from TopologyTestDriver (a broker that refuses a row, an event near the
 * broker's message size limit, negative timestamps, the global thread), each followed by a good
 * event. The app must still be running at the end, every good event must be in the lake exactly
 * once, every bad one in the dead-letter topic with its stage, and /metrics must reconcile per
 * table: tributary_records_in_total = out + dead_lettered.
 */
@ExtendWith(DevStackExtension.class)
class BadInputIT {
    /** The events lake topic refuses rows above this (the broker's max.message.bytes for the topic). */
    private static final int LAKE_TOPIC_MAX_BYTES = 20_000;
    private static final String TIME = Instant.now().minus(Duration.ofHours(2)).toString();

    record Bad(String name, byte[] value, String stage, String message) {
    }

    @Test
    void theAppSurvivesEveryClassAndCountsReconcile(DevStack stack, @TempDir Path state) throws Exception {
        String prefix = DevStack.uniqueName("bad").replace('-', '_');
        String eventsTopic = stack.createTopicNamed(prefix + ".events", 1);
        String mastersTopic = stack.createTopicNamed(prefix + ".shop.masters", 1);
        String lakeEvents = prefix + ".lake.app_events";
        stack.admin().createTopics(List.of(new NewTopic(lakeEvents, Optional.of(1), Optional.empty())
                .configs(Map.of("max.message.bytes", String.valueOf(LAKE_TOPIC_MAX_BYTES))))).all().get();
        int metricsPort = FreePorts.one();
        PipelineConfig config = ItPipelines.config(stack, prefix, eventsTopic, mastersTopic, state,
                Map.of(PipelineConfig.METRICS_PORT, String.valueOf(metricsPort)));

        List<Bad> badEvents = badEvents();
        List<Bad> badMasters = List.of(
                new Bad("CDC change that is not JSON", BadInputTest.utf8("{broken"), "cdc-parse", "not valid JSON"),
                new Bad("CDC commit time before 1970", BadInputTest.masterChange(Map.of("id", 5, "display_name", "x"), -1000),
                        "process", "the record's timestamp is before 1970-01-01T00:00:00Z"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", stack.config().bootstrapServers(), "acks", "all", "max.request.size", 2_000_000),
                new ByteArraySerializer(), new ByteArraySerializer());
             TributaryStreamsApp app = new TributaryStreamsApp(config);
             KafkaConsumer<String, GenericRecord> lake = ItPipelines.consumer(stack, new AvroDeserializer(Map.of("schema.registry.url",
                     stack.config().registryUrl())));
             KafkaConsumer<String, byte[]> dlq = ItPipelines.consumer(stack, new ByteArrayDeserializer())) {
            app.start();
            for (int i = 0; i < badMasters.size(); i++) {
                producer.send(new ProducerRecord<>(mastersTopic, DebeziumJson.key(1), badMasters.get(i).value())).get();
                producer.send(new ProducerRecord<>(mastersTopic, DebeziumJson.key(100 + i), DebeziumJson.change("masters", "r",
                        DebeziumJson.MASTERS, DebeziumJson.master(100 + i, "c", "ソース" + (100 + i), "web"),
                        Instant.parse(TIME).minus(Duration.ofDays(1)).toEpochMilli()))).get();
            }
            for (int i = 0; i < badEvents.size(); i++) {
                producer.send(new ProducerRecord<>(eventsTopic, BadInputTest.utf8("k"), badEvents.get(i).value())).get();
                producer.send(new ProducerRecord<>(eventsTopic, BadInputTest.utf8("k"), BadInputTest.utf8("{\"event_id\":\"good-" + i
                        + "\",\"event_time\":\"" + TIME + "\",\"source_type_id\":" + (100 + i % 2) + "}"))).get();
            }
            producer.send(new ProducerRecord<>(eventsTopic, BadInputTest.utf8("k"), BadInputTest.utf8(
                    "{\"event_id\":\"exact\",\"event_time\":\"" + TIME + "\",\"amount\":1234567890123456.78}"))).get();

            lake.subscribe(List.of(lakeEvents, prefix + ".lake.masters"));
            dlq.subscribe(List.of(prefix + ".dlq"));
            Map<String, GenericRecord> events = new LinkedHashMap<>();
            List<String> eventIds = new ArrayList<>();
            List<GenericRecord> masters = new ArrayList<>();
            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            long deadline = System.currentTimeMillis() + Duration.ofMinutes(4).toMillis();
            int expectedEvents = badEvents.size() + 1 + (int) badEvents.stream().filter(b -> b.stage() == null).count();
            int expectedDead = (int) badEvents.stream().filter(b -> b.stage() != null).count() + badMasters.size();
            while ((eventIds.size() < expectedEvents || dead.size() < expectedDead || masters.size() < badMasters.size())
                    && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, GenericRecord> r : lake.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(lakeEvents)) {
                        eventIds.add(r.value().get("event_id").toString());
                        events.put(r.value().get("event_id").toString(), r.value());
                    } else {
                        masters.add(r.value());
                    }
                }
                dlq.poll(Duration.ofMillis(50)).forEach(dead::add);
            }
            Thread.sleep(2000);
            lake.poll(Duration.ofMillis(500)).forEach(r -> eventIds.add(r.value().get("event_id").toString()));
            dlq.poll(Duration.ofMillis(200)).forEach(dead::add);

            assertThat(app.state()).as("the pipeline still runs").isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(eventIds).as("every good event exactly once").doesNotHaveDuplicates().containsAll(
                    IntStream.range(0, badEvents.size()).mapToObj(i -> "good-" + i).toList()).contains("exact")
                    .hasSize(expectedEvents);
            for (int i = 0; i < badEvents.size(); i++) {
                assertThat(events.get("good-" + i).get("source_type_name").toString()).isEqualTo("ソース" + (100 + i % 2));
            }
            GenericRecord exact = events.get("exact");
            assertThat(EventPipelineTest.decimal(exact, "amount")).isEqualTo(new BigDecimal("1234567890123456.78"));
            assertThat(masters).extracting(m -> m.get("id")).containsExactlyInAnyOrder(100L, 101L);

            List<Bad> expected = new ArrayList<>(badEvents.stream().filter(b -> b.stage() != null).toList());
            expected.addAll(badMasters);
            assertThat(dead).as("dead letters").hasSize(expected.size());
            for (Bad bad : expected) {
                assertThat(dead).as(bad.name()).anySatisfy(d -> {
                    Map<String, String> headers = headers(d);
                    assertThat(headers.get("tributary.dlq.stage")).isEqualTo(bad.stage());
                    assertThat(headers.get("tributary.dlq.error.message")).contains(bad.message());
                    assertThat(d.value()).isEqualTo(bad.value().length > config.dlqMaxOriginalBytes() ? new byte[0] : bad.value());
                });
            }

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (String table : List.of("app_events", "masters")) {
                double in = sum(metrics, "tributary_records_in_total", table);
                double out = sum(metrics, "tributary_records_out_total", table);
                double deadLettered = sum(metrics, "tributary_records_dead_lettered_total", table);
                System.out.printf("BadInputIT %s: in %.0f, out %.0f, dead-lettered %.0f%n", table, in, out, deadLettered);
                assertThat(in).as("%s: in = out + dead-lettered", table).isEqualTo(out + deadLettered).isPositive();
            }
            assertThat(sum(metrics, "tributary_master_history_skipped_total", "masters")).isEqualTo(2);
        }
    }

    /** The event classes a real broker handles differently from TopologyTestDriver, and a few of the usual ones. */
    private static List<Bad> badEvents() {
        String deepPath = BadInputTest.longKeyPaths();
        String amplified = BadInputTest.amplifiedNames();
        return List.of(
                new Bad("invalid JSON", BadInputTest.utf8("{not json"), "parse", "not valid JSON"),
                new Bad("zero time of Go and Java (year 1)", event("\"event_time\":\"0001-01-01T00:00:00Z\""), "validate",
                        "before events.min.time=2020-01-01"),
                new Bad("event time in seconds", event("\"event_time\":" + Instant.now().getEpochSecond()), "validate",
                        "looks like epoch seconds"),
                new Bad("long key paths amplifying names", event("\"event_time\":\"" + TIME + "\"," + deepPath), "limit",
                        "more than events.max.name.length=255"),
                new Bad("1e400 for a double", event("\"event_time\":\"" + TIME + "\",\"request\":{\"latency_ms\":1e400}"), "coerce",
                        "beyond the range of a double"),
                new Bad("lone surrogate", event("\"event_time\":\"" + TIME + "\",\"event_type\":\"\\ud800\""), "parse",
                        "lone UTF-16 surrogate"),
                new Bad("row the broker refuses (RecordTooLargeException)", event("\"event_time\":\"" + TIME + "\",\"event_type\":\""
                        + "r".repeat(LAKE_TOPIC_MAX_BYTES + 10_000) + "\""), "produce",
                        "the broker refused the row for"),
                new Bad("event near the broker's message size limit", event("\"event_time\":\"" + TIME + "\",\"event_type\":\""
                        + "x".repeat(1_040_000) + "\""), "limit", "more than events.max.bytes=1000000"),
                new Bad("row over lake.max.row.bytes", event("\"event_time\":\"" + TIME + "\",\"event_type\":\"" + "x".repeat(780_000)
                        + "\"," + amplified), "produce", "more than lake.max.row.bytes=1000000"),
                new Bad("18 significant digits (lands)", event("\"event_time\":\"" + TIME + "\",\"amount\":\"9999999999999999.99\""),
                        null, null));
    }

    private static byte[] event(String fields) {
        return BadInputTest.utf8("{\"event_id\":\"bad\"," + fields + "}");
    }

    private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        Map<String, String> out = new HashMap<>();
        for (Header h : record.headers()) {
            out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** A Prometheus counter summed over the series of one table. */
    private static double sum(String metrics, String name, String table) {
        Matcher m = Pattern.compile("^" + name + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        double total = 0;
        while (m.find()) {
            if (m.group(1).contains("table=\"" + table + "\"")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
