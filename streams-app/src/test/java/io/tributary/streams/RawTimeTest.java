package io.tributary.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.json.FlattenedLeaf;
import io.tributary.schemas.time.RawTime;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.dlq.RecordFailure;
import io.tributary.streams.events.EventMapper;
import io.tributary.testing.DebeziumJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The raw archive files each source record under the hour the streams app gives its row: wherever
 * the app's mapper accepts an event, {@link RawTime} reads the same event time from the raw bytes
 * (over the bad-input corpus and generated events of every time form); wherever it refuses one,
 * RawTime falls back to the Kafka timestamp only when the time itself is what is wrong. Debezium
 * changes are filed by their commit time.
 */
class RawTimeTest {
    private static final long KAFKA_TS = Instant.parse("2025-11-22T05:00:00Z").toEpochMilli();

    private final PipelineConfig config = new PipelineConfig(Map.of(PipelineConfig.BOOTSTRAP_SERVERS, "unused:9092",
            PipelineConfig.SCHEMA_REGISTRY_URL, "mock://raw-time"));
    private final EventMapper mapper = PipelinePlan.of(config, () -> KAFKA_TS).eventMapper();
    private final RawTime rawTime = RawTime.events(config.eventTimeField(), config.minEventTimeMs(), config.maxFutureMs());

    @Test
    void agreesWithTheAppOnEveryEventItAccepts() {
        List<byte[]> corpus = new ArrayList<>();
        BadInputTest.cases().forEach(c -> corpus.add(c.value()));
        generated().forEach(json -> corpus.add(json.getBytes(StandardCharsets.UTF_8)));
        int accepted = 0;
        int refusedForTheirTime = 0;
        for (byte[] value : corpus) {
            RawTime.Time time = rawTime.of(value, KAFKA_TS);
            RawTime.Reading withId = rawTime.read(value, KAFKA_TS, "event_id");
            assertThat(withId.time()).as("the time read with the id, " + text(value)).isEqualTo(time);
            assertThat(withId.leaf()).as("the id read with the time, " + text(value))
                    .isEqualTo(value == null ? null : FlattenedLeaf.find(value, "event_id"));
            try {
                EventMapper.MappedEvent event = mapper.map(value);
                accepted++;
                assertThat(time).as(text(value)).isEqualTo(new RawTime.Time(event.eventTime(), RawTime.Source.EVENT_TIME));
            } catch (RecordFailure failure) {
                if (failure.getMessage().startsWith("field event_time") || failure.getMessage().startsWith("required field event_time")) {
                    refusedForTheirTime++;
                    assertThat(time).as(text(value)).isEqualTo(new RawTime.Time(KAFKA_TS, RawTime.Source.KAFKA_TIMESTAMP));
                }
            }
        }
        assertThat(accepted).as("events the mapper accepted").isGreaterThan(40);
        assertThat(refusedForTheirTime).as("events refused for their time").isGreaterThan(10);
    }

    @Test
    void debeziumChangesAreFiledByTheirCommitTime() {
        long committed = Instant.parse("2025-11-21T23:59:59Z").toEpochMilli();
        byte[] change = DebeziumJson.change("masters", "u", DebeziumJson.MASTERS, DebeziumJson.master(1, "c-1", "n", "k"), committed);
        assertThat(RawTime.debezium().of(change, KAFKA_TS)).isEqualTo(new RawTime.Time(committed, RawTime.Source.SOURCE_TS));
        assertThat(RawTime.debezium().of("{\"source\":{\"ts_ms\":5}}".getBytes(StandardCharsets.UTF_8), KAFKA_TS))
                .as("a change without schemas").isEqualTo(new RawTime.Time(5, RawTime.Source.SOURCE_TS));
        assertThat(RawTime.debezium().of(null, KAFKA_TS)).as("a tombstone")
                .isEqualTo(new RawTime.Time(KAFKA_TS, RawTime.Source.KAFKA_TIMESTAMP));
        assertThat(RawTime.debezium().of("{broken".getBytes(StandardCharsets.UTF_8), KAFKA_TS).source())
                .isEqualTo(RawTime.Source.KAFKA_TIMESTAMP);
    }

    /** Events with the time in every form and place producers use, valid and not. */
    private static Stream<String> generated() {
        Random random = new Random(18);
        List<String> times = new ArrayList<>(List.of("\"2025-11-22T03:15:30Z\"", "\"2025-11-22T12:15:30.123456789+09:00\"",
                "\" 2025-11-22T03:15:30.250Z \"", "1763781330250", "\"1763781330250\"", "1.76378133025E12", "1763781330250.0",
                "1763781330250.5", "\"2025-11-22T03:15:30\"", "\"2025-11-22T03:15:30+19:00\"", "1763781330", "-1", "0",
                "\"0001-01-01T00:00:00Z\"", "1763781330250000", "\"2025-11-22T06:00:00.001Z\"", "\"2025-11-22T06:00:00Z\"",
                "true", "null", "{}", "\"\"", "\"soon\"", "[1763781330250]", "99999999999999999999"));
        for (int i = 0; i < 200; i++) {
            long t = KAFKA_TS - 3 * 86_400_000L + (long) (random.nextDouble() * 4 * 86_400_000L);
            times.add(random.nextBoolean() ? Long.toString(t) : "\"" + Instant.ofEpochMilli(t) + "\"");
        }
        return times.stream().flatMap(t -> Stream.of(
                "{\"event_id\":\"e\",\"event_time\":" + t + "}",
                "{\"event\":{\"time\":" + t + "},\"event_id\":\"e\"}",
                "{\"event_id\":\"e\",\"user\":{\"id\":\"u\"},\"event_time\":" + t + ",\"extra_field\":[1,{\"event_time\":2}]}",
                "{\"event_id\":\"e\",\"event_time\":" + t + ",\"event\":{\"time\":" + t + "}}"));
    }

    private static String text(byte[] value) {
        if (value == null) {
            return "null";
        }
        String s = new String(value, StandardCharsets.UTF_8);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
