package io.tributary.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.testing.AccessLogEvents;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PipelineFixture p = new PipelineFixture();

    @AfterEach
    void close() {
        p.close();
    }

    private static final String FULL_EVENT = """
            {"event_id": "e-1", "event_time": "2025-11-22T03:15:30.250Z", "event_type": "purchase",
             "user": {"id": "u-42", "email": "taro@example.jp", "ip": "203.0.113.7",
                      "profile": {"plan": "pro", "address": {"country": "JP", "city": "東京都渋谷区",
                                  "geo": {"lat": 35.66, "lon": 139.70}}}},
             "source_type_id": "7",
             "request": {"path": "/checkout", "method": "POST", "status": 201, "latency_ms": "12.5"},
             "amount": "1200.5",
             "tags": ["sale", "初売り"],
             "メタ": {"キャンペーン": "冬", "score": 3, "nothing": null},
             "debug": null}""";

    @Test
    void flattensNestedJsonToTheContractAndKeepsTheRestInExtra() {
        p.sendEvent(FULL_EVENT);
        GenericRecord row = p.events().get(0);

        assertThat(row.get("event_id").toString()).isEqualTo("e-1");
        assertThat(row.get("event_time")).isEqualTo(Instant.parse("2025-11-22T03:15:30.250Z").toEpochMilli());
        assertThat(row.get("user_id").toString()).isEqualTo("u-42");
        assertThat(row.get("user_profile_plan").toString()).isEqualTo("pro");
        assertThat(row.get("user_profile_address_country").toString()).isEqualTo("JP");
        assertThat(row.get("user_profile_address_city").toString()).isEqualTo("東京都渋谷区");
        assertThat(row.get("source_type_id")).isEqualTo(7L);
        assertThat(row.get("request_status")).isEqualTo(201);
        assertThat(row.get("request_latency_ms")).isEqualTo(12.5);
        assertThat(decimal(row, "amount")).isEqualByComparingTo("1200.50");
        assertThat(row.get("tags").toString()).isEqualTo("[\"sale\",\"初売り\"]");
        Map<String, String> extra = new HashMap<>();
        ((Map<?, ?>) row.get("extra")).forEach((k, v) -> extra.put(k.toString(), v == null ? null : v.toString()));
        assertThat(extra).containsOnly(
                Map.entry("user_profile_address_geo_lat", "35.66"),
                Map.entry("user_profile_address_geo_lon", "139.70"),
                Map.entry("メタ_キャンペーン", "冬"),
                Map.entry("メタ_score", "3"),
                Map.entry("メタ_nothing", "null"),
                Map.entry("debug", "null"));
        assertThat(p.metrics.registry().get("tributary.unknown.fields").counter().count()).isEqualTo(6);
    }

    /** The wide bench fixture: shuffled key orders and missing fields take the flattener's slow paths. */
    @Test
    void wideEventsWithShuffledKeysAndMissingFieldsLandAsSent() throws Exception {
        Instant base = Instant.parse("2026-11-22T00:00:00Z");
        for (int i = 0; i < 300; i++) {
            p.sendEvent(new String(AccessLogEvents.wide(i, base, 1 + i % 7), StandardCharsets.UTF_8));
        }
        List<GenericRecord> rows = p.events();

        assertThat(p.deadLetters.readValuesToList()).isEmpty();
        assertThat(rows).hasSize(300);
        for (int i = 0; i < 300; i++) {
            JsonNode sent = JSON.readTree(AccessLogEvents.wide(i, base, 1 + i % 7));
            GenericRecord row = rows.get(i);
            assertThat(row.get("event_id").toString()).isEqualTo("bench-" + i);
            assertThat(row.get("source_type_id")).isEqualTo(1L + i % 7);
            assertThat(text(row, "user_id")).isEqualTo(sent.at("/user/id").textValue());
            assertThat(text(row, "user_profile_address_city")).isEqualTo(sent.at("/user/profile/address/city").textValue());
            assertThat(row.get("request_status")).isEqualTo(sent.at("/request/status").isMissingNode() ? null
                    : sent.at("/request/status").intValue());
            List<String> extra = ((Map<?, ?>) row.get("extra")).keySet().stream().map(Object::toString).toList();
            assertThat(extra.contains("device_os")).isEqualTo(!sent.at("/device/os").isMissingNode());
        }
        p.assertCountsReconcile("app_events");
    }

    private static String text(GenericRecord row, String field) {
        Object value = row.get(field);
        return value == null ? null : value.toString();
    }

    @Test
    void dropsAndHashesPiiBeforeTheLake() {
        p.sendEvent(FULL_EVENT);
        GenericRecord row = p.events().get(0);
        assertThat(row.get("user_email")).isNull();
        assertThat(row.get("user_ip").toString()).hasSize(64).isEqualTo(hmac(PipelineFixture.SALT, "203.0.113.7"))
                .doesNotContain("203.0.113.7");
    }

    @Test
    void hashesPiiFoundInExtraToo() {
        try (PipelineFixture hashing = new PipelineFixture(Map.of("pii.hash", "user_ip,user_phone", "pii.drop", "user_secret"))) {
            hashing.sendEvent("{\"event_id\":\"e\",\"event_time\":1763769600000,\"user\":{\"phone\":\"090-1234-5678\",\"secret\":\"x\"}}");
            Map<?, ?> extra = (Map<?, ?>) hashing.events().get(0).get("extra");
            assertThat(extra.toString()).doesNotContain("090-1234-5678").doesNotContain("user_secret")
                    .contains(hmac(PipelineFixture.SALT, "090-1234-5678"));
        }
    }

    @Test
    void keysByUserAndTimestampsWithTheEventTime() {
        p.sendEvent(FULL_EVENT);
        TestRecord<String, org.apache.avro.generic.GenericRecord> out = p.lakeEvents.readRecord();
        assertThat(out.key()).isEqualTo("u-42");
        assertThat(out.getRecordTime()).isEqualTo(Instant.parse("2025-11-22T03:15:30.250Z"));
    }

    @ParameterizedTest(name = "event_time {0}")
    @CsvSource(delimiter = '|', value = {
        "\"2025-11-22T12:15:30.250+09:00\"|2025-11-22T03:15:30.250Z",
        "1763781330250|2025-11-22T03:15:30.250Z",
        "\"1763781330250\"|2025-11-22T03:15:30.250Z",
    })
    void acceptsIsoTimesWithOffsetsAndEpochMillis(String json, String expected) {
        p.sendEvent("{\"event_id\":\"e\",\"event_time\":" + json + "}");
        assertThat(p.events().get(0).get("event_time")).isEqualTo(Instant.parse(expected).toEpochMilli());
    }

    @ParameterizedTest(name = "{0} -> stage {1}")
    @CsvSource(delimiter = '|', value = {
        "{not json|parse|not valid JSON",
        "[1,2]|parse|not an object",
        "{\"event_id\":\"e\",\"event_time\":1763769600000,\"event_id\":\"f\"}|validate|two fields flatten to the same column 'event_id' (a key repeated",
        "{\"event_id\":\"e\",\"event_time\":1763769600000,\"user_id\":\"a\",\"user\":{\"id\":\"b\"},\"x\":}|parse|not valid JSON",
        "\"just a string\"|parse|not an object",
        "{\"event_time\":1763769600000}|validate|required field event_id is missing",
        "{\"event_id\":\"e\"}|validate|required field event_time is missing",
        "{\"event_id\":\"e\",\"event_time\":\"yesterday\"}|coerce|field event_time: 'yesterday' is not a valid timestamp-millis",
        "{\"event_id\":\"e\",\"event_time\":1763769600000,\"amount\":\"12.345\"}|coerce|field amount: '12.345' is not a valid decimal(18,2)",
        "{\"event_id\":\"e\",\"event_time\":1763769600000,\"request\":{\"status\":\"OK\"}}|coerce|field request_status: 'OK' is not a valid int",
        "{\"event_id\":\"e\",\"event_time\":1763769600000,\"source_type_id\":1.5}|coerce|field source_type_id: '1.5' is not a valid long",
        "{\"event_id\":\"e\",\"event_time\":1763769600000,\"user_id\":\"a\",\"user\":{\"id\":\"b\"}}|validate|two fields flatten to the same column 'user_id'",
        "{\"event_id\":\"e\",\"event_time\":\"2999-01-01T00:00:00Z\"}|validate|ahead of now; the producer's clock is wrong",
    })
    void deadLettersBadEventsWithHeadersSayingWhatWhereAndWhy(String json, String stage, String message) {
        p.events.pipeInput(new TestRecord<>("k".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8),
                Instant.parse("2025-11-22T00:00:00Z")));

        assertThat(p.lakeEvents.isEmpty()).isTrue();
        TestRecord<byte[], byte[]> dead = p.deadLetters.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("k");
        Map<String, String> headers = headers(dead.headers().toArray());
        assertThat(headers).containsEntry("tributary.dlq.stage", stage)
                .containsEntry("tributary.dlq.table", "app_events")
                .containsEntry("tributary.dlq.source.topic", PipelineFixture.EVENTS)
                .containsEntry("tributary.dlq.source.partition", "0")
                .containsEntry("tributary.dlq.source.offset", "0")
                .containsKeys("tributary.dlq.error.class", "tributary.dlq.time");
        assertThat(headers.get("tributary.dlq.error.message")).contains(message);

        GenericRecord envelope = p.lakeDeadLetters.readValue();
        assertThat(envelope.get("stage").toString()).isEqualTo(stage);
        assertThat(envelope.get("original_bytes")).isEqualTo(json.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void refusesToHashAColumnThatCannotHoldAHash() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PipelineFixture(Map.of("pii.hash", "user_ip,request_status")))
                .hasMessageContaining("request_status").hasMessageContaining("only string columns can hold a hash");
    }

    /** Fields that are not in the contract would fail on every event; they fail at start, naming the key. */
    @ParameterizedTest
    @CsvSource({
        "enrichment.source_type.event.field, source_kind, enrichment.source_type.event.field",
        "events.key.field, customer_id, events.key.field",
    })
    void refusesKeyFieldsThatAreNotInTheContract(String key, String value, String named) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PipelineFixture(Map.of(key, value)))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining(named).hasMessageContaining(value).hasMessageContaining("not a field of the app_events contract");
    }

    /** A field named like a column the pipeline fills itself is kept in extra, not silently overwritten. */
    @Test
    void keepsEventFieldsNamedLikeFilledColumnsInExtra() {
        p.sendEvent("{\"event_id\":\"e\",\"event_time\":1763769600000,\"source_type_name\":\"mine\",\"_enrichment\":\"x\",\"extra\":{\"k\":1}}");
        GenericRecord row = p.events().get(0);
        Map<String, String> extra = new HashMap<>();
        ((Map<?, ?>) row.get("extra")).forEach((k, v) -> extra.put(k.toString(), v.toString()));
        assertThat(extra).containsOnly(Map.entry("source_type_name", "mine"), Map.entry("_enrichment", "x"), Map.entry("extra_k", "1"));
        assertThat(row.get("_enrichment").toString()).isEqualTo("missing:source_type");
    }

    @Test
    void neverPrintsTheValueOfAPiiFieldInAnError() {
        try (PipelineFixture dropping = new PipelineFixture(Map.of("pii.drop", "amount"))) {
            dropping.sendEvent("{\"event_id\":\"e\",\"event_time\":1763769600000,\"amount\":\"secret-amount\"}");
            String message = headers(dropping.deadLetters.readRecord().headers().toArray()).get("tributary.dlq.error.message");
            assertThat(message).contains("field amount").contains("value withheld").doesNotContain("secret-amount");
        }
    }

    @Test
    void countsReconcileInEqualsOutPlusDeadLettered() {
        p.sendEvent(FULL_EVENT);
        p.sendEvent("{broken");
        p.sendEvent("{\"event_id\":\"e2\",\"event_time\":\"2021-01-01T00:00:00Z\"}");
        assertThat(p.events()).hasSize(2);
        assertThat(p.deadLetters.readValuesToList()).hasSize(1);
        double in = p.metrics.registry().get("tributary.records.in").tag("table", "app_events").counter().count();
        double out = p.metrics.registry().get("tributary.records.out").tag("table", "app_events").counter().count();
        double dead = p.metrics.registry().get("tributary.records.dead.lettered").tag("table", "app_events").counter().count();
        assertThat(in).isEqualTo(3).isEqualTo(out + dead);
        // Every row out is in the event-time lag histogram; 2021-01-01 is years behind.
        io.micrometer.core.instrument.Timer lag = p.metrics.registry().get("tributary.event.time.lag").timer();
        assertThat(lag.count()).isEqualTo(2);
        assertThat(lag.max(java.util.concurrent.TimeUnit.SECONDS)).isGreaterThan(5 * 365 * 86_400.0);
    }

    static Map<String, String> headers(Header[] headers) {
        Map<String, String> out = new HashMap<>();
        for (Header h : headers) {
            out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    static BigDecimal decimal(GenericRecord row, String field) {
        Schema schema = row.getSchema().getField(field).schema().getTypes().get(1);
        return new Conversions.DecimalConversion().fromBytes((ByteBuffer) row.get(field), schema,
                (LogicalTypes.Decimal) schema.getLogicalType());
    }

    /** HMAC-SHA-256 keyed with the salt, in hex: computed here with the JDK, as anyone checking a hash would. */
    static String hmac(String salt, String value) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
