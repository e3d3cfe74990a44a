package io.tributary.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.contract.Contracts;
import io.tributary.testing.DebeziumJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad input real producers send, class by class, through both real topologies (with the app's
 * exception handlers): each lands as exactly the row stated or is dead-lettered at the stated stage
 * with the stated message, the original bytes and the headers; the good event (or master change)
 * sent after it still arrives; no dead-letter text carries a PII value; and in = out + dead-lettered
 * per table. The README's bad-input table lists the same classes.
 */
class BadInputTest {
    static final String TIME = "2025-11-22T03:15:30.250Z";
    /** PII values in every bad event: no dead-letter header or row may show them. */
    static final String EMAIL = "taro@example.jp";
    static final String IP = "203.0.113.7";

    private final PipelineFixture p = new PipelineFixture();

    @AfterEach
    void close() {
        p.close();
    }

    /** What one bad input must become. */
    sealed interface Expect {
    }

    /** A lake row of app_events, checked by {@code row}. */
    record Lands(Consumer<GenericRecord> row) implements Expect {
    }

    /** A dead letter at {@code stage} whose message contains {@code message}; {@code omitted}: the original was left out. */
    record Dead(String stage, String message, boolean omitted) implements Expect {
        Dead(String stage, String message) {
            this(stage, message, false);
        }
    }

    /** A bad master change: dead-lettered by the changes app; {@code skippedInHistory}: the global thread skipped it. */
    record DeadMaster(String stage, String message, boolean skippedInHistory) implements Expect {
    }

    record Case(String name, byte[] value, Expect expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** An event with id, time and PII fields, plus {@code fields} (JSON members, may be empty). */
    static String event(String fields) {
        return "{\"event_id\":\"bad\",\"event_time\":\"" + TIME + "\",\"user\":{\"id\":\"u-1\",\"email\":\"" + EMAIL
                + "\",\"ip\":\"" + IP + "\"}" + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    static Case lands(String name, String json, Consumer<GenericRecord> row) {
        return new Case(name, utf8(json), new Lands(row));
    }

    static Case dead(String name, String json, String stage, String message) {
        return new Case(name, utf8(json), new Dead(stage, message));
    }

    static Case dead(String name, byte[] value, String stage, String message) {
        return new Case(name, value, new Dead(stage, message));
    }

    static Case master(String name, byte[] value, String stage, String message, boolean skippedInHistory) {
        return new Case(name, value, new DeadMaster(stage, message, skippedInHistory));
    }

    static Stream<Case> cases() {
        long now = System.currentTimeMillis();
        String amplified = amplifiedNames();
        String deepPath = longKeyPaths();
        String hundredThousand = IntStream.range(0, 100_000).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
        return Stream.of(
                // What is not one JSON object of text
                dead("invalid JSON", "{not json", "parse", "not valid JSON at line 1, column 2"),
                dead("truncated JSON", event("").substring(0, 40), "parse", "(the JSON ends early: truncated?)"),
                dead("empty value", new byte[0], "parse", "the record is empty"),
                dead("null value", (byte[]) null, "parse", "the record has no value (null)"),
                dead("top-level array", "[" + event("") + "]", "parse", "the event is a JSON array, not an object"),
                dead("top-level string", "\"" + EMAIL + "\"", "parse", "the event is a JSON string, not an object"),
                dead("top-level number", "42", "parse", "the event is a JSON number, not an object"),
                dead("non-UTF-8 bytes", concat(utf8(event("\"event_type\":\"")), new byte[] {(byte) 0xff, (byte) 0xfe}, utf8("\"}")),
                        "parse", "Invalid UTF-8 start byte 0xff"),
                dead("lone surrogate in a value", event("\"event_type\":\"a\\ud800b\""), "parse",
                        "field event_type holds a lone UTF-16 surrogate"),
                dead("lone surrogate in an array", event("\"tags\":[\"\\udc00\"]"), "parse",
                        "field tags holds a lone UTF-16 surrogate"),
                dead("lone surrogate in a key", event("\"k\\udc00\":1"), "parse", "Unexpected low surrogate in field name"),
                dead("raw control character", event("\"event_type\":\"a\u0001b\""), "parse", "Illegal unquoted character"),
                lands("escaped control characters", event("\"event_type\":\"a\\u0000b\\u0007\\t\""),
                        row -> assertThat(row.get("event_type").toString()).isEqualTo("a\u0000b\u0007\t")),
                dead("input a parser quotes (PII)", event("\"contact\":" + EMAIL), "parse", "Unrecognized token '…'"),
                dead("duplicate keys", event("\"event_type\":\"a\",\"event_type\":\"b\""), "validate",
                        "two fields flatten to the same column 'event_type'"),
                // Shapes that blow up
                dead("10,000-deep arrays", event("\"d\":" + "[".repeat(10_000) + "]".repeat(10_000)), "parse",
                        "nesting depth (1001) exceeds the maximum allowed (1000"),
                dead("10,000-deep objects", event("\"d\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)), "limit",
                        "more than events.max.name.length=255"),
                dead("long key paths amplifying names", event(deepPath), "limit", "more than events.max.name.length=255"),
                dead("more fields than events.max.fields", event(IntStream.range(0, 1000).mapToObj(i -> "\"f" + i + "\":" + i)
                        .collect(Collectors.joining(","))), "limit", "more than events.max.fields=1000"),
                lands("100,000-element array", event("\"tags\":" + hundredThousand),
                        row -> assertThat(row.get("tags").toString()).isEqualTo(hundredThousand)),
                new Case("event over events.max.bytes", utf8(event("\"event_type\":\"" + "x".repeat(1_000_000) + "\"")),
                        new Dead("limit", "more than events.max.bytes=1000000", true)),
                dead("row over lake.max.row.bytes", event("\"event_type\":\"" + "x".repeat(780_000) + "\"," + amplified), "produce",
                        "more than lake.max.row.bytes=1000000"),
                // Ids
                dead("missing event id", "{\"event_time\":\"" + TIME + "\"}", "validate", "required field event_id is missing or null"),
                dead("null event id", "{\"event_id\":null,\"event_time\":\"" + TIME + "\"}", "validate",
                        "required field event_id is missing or null"),
                dead("empty event id", "{\"event_id\":\"\",\"event_time\":\"" + TIME + "\"}", "validate",
                        "required field event_id is empty"),
                // Times
                dead("missing event time", "{\"event_id\":\"bad\"}", "validate", "required field event_time is missing or null"),
                dead("zero time of Go and Java (year 1)", time("\"0001-01-01T00:00:00Z\""), "validate",
                        "is 0001-01-01T00:00:00Z, before events.min.time=2020-01-01"),
                dead("before 1970", time("-1"), "validate", "is 1969-12-31T23:59:59.999Z, before events.min.time=2020-01-01"),
                dead("event time 0", time("0"), "validate", "is 1970-01-01T00:00:00Z, before events.min.time=2020-01-01"),
                dead("event time in seconds", time("1796123582"), "validate",
                        "1796123582 looks like epoch seconds (2026-12-01T11:13:02Z): send milliseconds"),
                dead("far past", time("\"2001-09-09T01:46:40Z\""), "validate", "before events.min.time=2020-01-01"),
                dead("far future", time("\"2999-01-01T00:00:00Z\""), "validate", "ahead of now; the producer's clock is wrong"),
                dead("event time in microseconds", time(Long.toString(now * 1000)), "validate", "is epoch microseconds"),
                dead("time zone offset beyond ±18:00", time("\"2025-11-22T03:15:30+25:00\""), "coerce",
                        "is not a valid timestamp-millis (expected ISO-8601 with a zone offset"),
                dead("time without a zone offset", time("\"2025-11-22T03:15:30\""), "coerce",
                        "is not a valid timestamp-millis (expected ISO-8601 with a zone offset"),
                // Numbers
                dead("NaN token", event("\"request\":{\"latency_ms\":NaN}"), "parse", "Non-standard token 'NaN'"),
                dead("Infinity token", event("\"request\":{\"latency_ms\":Infinity}"), "parse", "Non-standard token 'Infinity'"),
                dead("NaN string for a double", event("\"request\":{\"latency_ms\":\"NaN\"}"), "coerce",
                        "field request_latency_ms: 'NaN' is not a valid double (expected a number or a numeric string)"),
                dead("1e400 for a double", event("\"request\":{\"latency_ms\":1e400}"), "coerce",
                        "field request_latency_ms: '1E+400' is not a valid double (beyond the range of a double)"),
                dead("1e-400 for a double", event("\"request\":{\"latency_ms\":1e-400}"), "coerce",
                        "(beyond the range of a double)"),
                lands("1e400 outside the contract", event("\"huge\":1e400"),
                        row -> assertThat(extra(row)).containsEntry("huge", "1E+400")),
                dead("integer beyond long", event("\"source_type_id\":99999999999999999999"), "coerce",
                        "is not a valid long (beyond the range of a 64-bit long)"),
                dead("integer beyond int", event("\"request\":{\"status\":3000000000}"), "coerce",
                        "is not a valid int (beyond the range of a 32-bit int)"),
                dead("decimal beyond precision", event("\"amount\":12345678901234567"), "coerce",
                        "is not a valid decimal(18,2) (more than 16 digits before the decimal point)"),
                dead("decimal with more places than its scale", event("\"amount\":12.345"), "coerce",
                        "is not a valid decimal(18,2) (more than 2 decimal places; it would have to be rounded)"),
                dead("decimal with 19 significant digits", event("\"amount\":12345678901234567.8"), "coerce",
                        "more than 16 digits before the decimal point"),
                dead("decimal 1e999999999", event("\"amount\":1e999999999"), "coerce", "more than 16 digits before the decimal point"),
                lands("decimal with 18 significant digits (number)", event("\"amount\":1234567890123456.78"),
                        row -> assertThat(EventPipelineTest.decimal(row, "amount")).isEqualTo(new BigDecimal("1234567890123456.78"))),
                lands("decimal with 18 significant digits (string)", event("\"amount\":\"1234567890123456.78\""),
                        row -> assertThat(EventPipelineTest.decimal(row, "amount")).isEqualTo(new BigDecimal("1234567890123456.78"))),
                lands("decimal with 16 significant digits", event("\"amount\":99999999999999.99"),
                        row -> assertThat(EventPipelineTest.decimal(row, "amount")).isEqualTo(new BigDecimal("99999999999999.99"))),
                lands("decimal with 17 significant digits and an exponent", event("\"amount\":1.234567890123456E15"),
                        row -> assertThat(EventPipelineTest.decimal(row, "amount")).isEqualTo(new BigDecimal("1234567890123456.00"))),
                // Wrong types, for every type the contract has
                dead("string for an int", event("\"request\":{\"status\":\"OK\"}"), "coerce", "field request_status: 'OK' is not a valid int"),
                dead("boolean for a long", event("\"source_type_id\":true"), "coerce",
                        "field source_type_id: 'true' is not a valid long (expected a number or a numeric string)"),
                dead("fraction for a long", event("\"source_type_id\":7.5"), "coerce", "is not a valid long (has a fraction)"),
                dead("array for a double", event("\"request\":{\"latency_ms\":[1]}"), "coerce",
                        "field request_latency_ms: '[1]' is not a valid double"),
                dead("boolean for a decimal", event("\"amount\":false"), "coerce", "field amount: 'false' is not a valid decimal(18,2)"),
                dead("array for a timestamp", time("[1]"), "coerce", "field event_time: '[1]' is not a valid timestamp-millis"),
                lands("number and array for strings (kept as text)", "{\"event_id\":\"bad\",\"event_time\":\"" + TIME
                        + "\",\"event_type\":12.50,\"user\":{\"profile\":{\"plan\":[1,\"a\",1e2]}}}", row -> {
                            assertThat(row.get("event_type").toString()).isEqualTo("12.50");
                            assertThat(row.get("user_profile_plan").toString()).isEqualTo("[1,\"a\",1e2]");
                        }),
                lands("object for a double (flattened, kept in extra)", event("\"request\":{\"latency_ms\":{\"p99\":12.5}}"), row -> {
                    assertThat(row.get("request_latency_ms")).isNull();
                    assertThat(extra(row)).containsEntry("request_latency_ms_p99", "12.5");
                }),
                // Master ids
                dead("master id of the wrong type (text)", event("\"source_type_id\":\"seven\""), "coerce",
                        "field source_type_id: 'seven' is not a valid long (expected a number or a numeric string)"),
                lands("master id of the wrong type (object)", event("\"source_type_id\":{\"id\":7}"), row -> {
                    assertThat(row.get("source_type_id")).isNull();
                    assertThat(extra(row)).containsEntry("source_type_id_id", "7");
                    assertThat(row.get("_enrichment").toString()).isEqualTo("missing:source_type");
                }),
                master("CDC change that is not JSON", utf8("{broken " + EMAIL), "cdc-parse", "not valid JSON", true),
                master("CDC commit time before 1970", masterChange(Map.of("id", 5, "display_name", "x"), -1000), "process",
                        "the record's timestamp is before 1970-01-01T00:00:00Z", true),
                master("CDC master id of the wrong type (text)", masterChange(Map.of("id", "seven", "display_name", "x"), 1000),
                        "cdc-parse", "column id: a JSON string value cannot be converted to \"long\" (expected an integer", false),
                master("CDC master id of the wrong type (object)", masterChange(Map.of("id", Map.of("v", 7), "display_name", "x"), 1000),
                        "cdc-parse", "column id of table masters is null, missing or not a scalar", false));
    }

    /** 300 levels of 100-character keys with 30 leaves (about 40 KB): names far over events.max.name.length. */
    static String longKeyPaths() {
        return IntStream.range(0, 300).mapToObj(i -> "\"level" + i + "_" + "x".repeat(100) + "\":{").collect(Collectors.joining())
                + IntStream.range(0, 30).mapToObj(i -> "\"leaf" + i + "\":" + i).collect(Collectors.joining(",")) + "}".repeat(300);
    }

    /** 900 leaves under a 248-character key: names of 255 characters, 233 KB of them in the row from 12 KB of JSON. */
    static String amplifiedNames() {
        return "\"p\":{\"" + "k".repeat(248) + "\":{" + IntStream.range(0, 900).mapToObj(i -> "\"k" + (100 + i) + "\":0")
                .collect(Collectors.joining(",")) + "}}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadInputLandsExactlyOrIsDeadLetteredAndTheNextGoodOneArrives(Case c) {
        apply(c, 0);
        p.assertCountsReconcile(Contracts.APP_EVENTS);
        p.assertCountsReconcile(Contracts.MASTERS);
    }

    /** All classes in one pipeline, one after another, as a producer's bad day would send them. */
    @Test
    void allClassesInARowThenCountsReconcile() {
        List<Case> all = cases().toList();
        for (int i = 0; i < all.size(); i++) {
            apply(all.get(i), i);
        }
        p.assertCountsReconcile(Contracts.APP_EVENTS);
        p.assertCountsReconcile(Contracts.MASTERS);
        long deadEvents = all.stream().filter(c -> c.expect() instanceof Dead).count();
        assertThat(p.count("tributary.records.dead.lettered", Contracts.APP_EVENTS)).isEqualTo(deadEvents);
        assertThat(p.count("tributary.records.out", Contracts.APP_EVENTS)).isEqualTo(all.size() + all.stream()
                .filter(c -> c.expect() instanceof Lands).count());
    }

    /**
     * The replay after the broker refused a row (RecordTooLargeException, say; the real broker's
     * refusal is in BadInputIT): the same row is dead-lettered at stage produce with its input record,
     * once, and an identical event afterwards lands again.
     */
    @Test
    void aRowTheBrokerRefusedIsDeadLetteredWhenItsInputIsReplayed() {
        byte[] event = utf8(event("\"event_type\":\"refused\""));
        org.apache.kafka.streams.TestOutputTopic<byte[], byte[]> rawRows = p.eventsDriver.createOutputTopic("lake.app_events",
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        p.events.pipeInput(new TestRecord<>(utf8("k"), event, Instant.parse(TIME)));
        byte[] row = rawRows.readValue();
        p.refused.refused("tributary-pipeline", "lake.app_events", row, "RecordTooLargeException (" + row.length + " bytes)");

        p.events.pipeInput(new TestRecord<>(utf8("k"), event, Instant.parse(TIME))); // the replay
        assertThat(rawRows.isEmpty()).isTrue();
        TestRecord<byte[], byte[]> dead = p.deadLetters.readRecord();
        assertThat(dead.value()).isEqualTo(event);
        assertThat(EventPipelineTest.headers(dead.headers().toArray())).containsEntry("tributary.dlq.stage", "produce")
                .containsEntry("tributary.dlq.error.message", "the broker refused the row for lake.app_events: "
                        + "RecordTooLargeException (" + row.length + " bytes)")
                .containsEntry("tributary.dlq.source.offset", "1");
        assertThat(p.refused.takeRestart("tributary-pipeline")).isTrue();
        assertThat(p.refused.takeRestart("tributary-pipeline")).isFalse();

        p.events.pipeInput(new TestRecord<>(utf8("k"), event, Instant.parse(TIME)));
        assertThat(rawRows.readValue()).isEqualTo(row);
        p.assertCountsReconcile(Contracts.APP_EVENTS);
        assertThat(p.count("tributary.records.out", Contracts.APP_EVENTS)).isEqualTo(2);
    }

    private void apply(Case c, int n) {
        if (c.expect() instanceof DeadMaster expected) {
            double skippedBefore = p.count("tributary.master.history.skipped", Contracts.MASTERS);
            p.pipeMasterChange(DebeziumJson.key(1), c.value(), Instant.parse(TIME));
            checkDeadMaster(c, expected);
            assertThat(p.count("tributary.master.history.skipped", Contracts.MASTERS) - skippedBefore)
                    .as("skipped in the master history: %s", c.name()).isEqualTo(expected.skippedInHistory() ? 1 : 0);
        } else {
            p.events.pipeInput(new TestRecord<>(utf8("k"), c.value(), Instant.parse(TIME)));
            if (c.expect() instanceof Lands lands) {
                List<GenericRecord> rows = p.events();
                assertThat(rows).as(c.name()).hasSize(1);
                lands.row().accept(rows.get(0));
                assertThat(p.deadLetters.isEmpty()).as("no dead letter for %s", c.name()).isTrue();
            } else {
                checkDead(c, (Dead) c.expect());
            }
        }
        goodEventArrives(c, n);
    }

    private void checkDead(Case c, Dead expected) {
        assertThat(p.lakeEvents.isEmpty()).as("no row for %s", c.name()).isTrue();
        TestRecord<byte[], byte[]> dead = p.deadLetters.readRecord();
        Map<String, String> headers = EventPipelineTest.headers(dead.headers().toArray());
        assertThat(headers).as(c.name()).containsEntry("tributary.dlq.stage", expected.stage())
                .containsEntry("tributary.dlq.table", "app_events")
                .containsEntry("tributary.dlq.source.topic", PipelineFixture.EVENTS)
                .containsKeys("tributary.dlq.error.class", "tributary.dlq.source.offset", "tributary.dlq.time");
        assertThat(headers.get("tributary.dlq.error.message")).as(c.name()).contains(expected.message());
        assertThat(dead.key()).isEqualTo(utf8("k"));
        if (expected.omitted()) {
            assertThat(dead.value()).isEmpty();
            assertThat(headers.get("tributary.dlq.original.omitted")).contains(c.value().length + " bytes, more than "
                    + "dlq.max.original.bytes=1000000").contains("the original is in app.events partition 0 at offset");
        } else {
            assertThat(dead.value()).as("the original bytes of %s", c.name()).isEqualTo(c.value());
            assertThat(headers).doesNotContainKey("tributary.dlq.original.omitted");
        }
        assertNoPii(headers.values());
        GenericRecord envelope = p.lakeDeadLetters.readValue();
        assertThat(envelope.get("stage").toString()).isEqualTo(expected.stage());
        assertThat(envelope.get("original_bytes")).isEqualTo(c.value() == null ? 0 : c.value().length);
        assertNoPii(List.of(envelope.toString()));
        assertThat(p.deadLetters.isEmpty()).isTrue();
    }

    private void checkDeadMaster(Case c, DeadMaster expected) {
        assertThat(p.lakeMasters.isEmpty()).as("no masters row for %s", c.name()).isTrue();
        TestRecord<byte[], byte[]> dead = p.cdcDeadLetters.readRecord();
        Map<String, String> headers = EventPipelineTest.headers(dead.headers().toArray());
        assertThat(headers).as(c.name()).containsEntry("tributary.dlq.stage", expected.stage())
                .containsEntry("tributary.dlq.table", "masters")
                .containsEntry("tributary.dlq.source.topic", PipelineFixture.MASTERS_TOPIC);
        assertThat(headers.get("tributary.dlq.error.message")).as(c.name()).contains(expected.message());
        assertThat(dead.value()).isEqualTo(c.value());
        assertNoPii(headers.values());
        assertThat(p.cdcLakeDeadLetters.readValue().get("stage").toString()).isEqualTo(expected.stage());
    }

    /** A good master change and a good event after each bad input: both must arrive, the event enriched by the master. */
    private void goodEventArrives(Case c, int n) {
        long id = 1000 + n;
        p.sendMaster("r", id, "ソース-" + id, "web", Instant.parse(TIME).minus(1, ChronoUnit.DAYS));
        assertThat(p.lakeMasters.readValuesToList()).as("the good master change after %s", c.name())
                .extracting(r -> r.get("id")).containsExactly(id);
        p.sendEvent("{\"event_id\":\"good-" + n + "\",\"event_time\":\"" + TIME + "\",\"source_type_id\":" + id + "}");
        List<GenericRecord> rows = p.events();
        assertThat(rows).as("the good event after %s", c.name()).hasSize(1);
        assertThat(rows.get(0).get("event_id").toString()).isEqualTo("good-" + n);
        assertThat(rows.get(0).get("source_type_name").toString()).isEqualTo("ソース-" + id);
        assertThat(p.deadLetters.isEmpty()).isTrue();
        assertThat(p.cdcDeadLetters.isEmpty()).isTrue();
    }

    private static void assertNoPii(java.util.Collection<String> texts) {
        for (String text : texts) {
            assertThat(text).doesNotContain(EMAIL).doesNotContain("taro").doesNotContain(IP);
        }
    }

    static Map<String, String> extra(GenericRecord row) {
        Map<String, String> out = new java.util.HashMap<>();
        ((Map<?, ?>) row.get("extra")).forEach((k, v) -> out.put(k.toString(), v.toString()));
        return out;
    }

    private static String time(String json) {
        return "{\"event_id\":\"bad\",\"event_time\":" + json + "}";
    }

    /** A snapshot read of the masters table whose row is {@code row} (any JSON types), committed at {@code sourceTs}. */
    static byte[] masterChange(Map<String, Object> row, long sourceTs) {
        return DebeziumJson.change("masters", "r", DebeziumJson.MASTERS, new java.util.LinkedHashMap<>(row), sourceTs);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
