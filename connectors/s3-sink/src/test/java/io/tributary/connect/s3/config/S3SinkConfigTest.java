package io.tributary.connect.s3.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.connect.s3.S3ParquetSinkConnector;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

public class S3SinkConfigTest {
    /** The keys every sink config needs (other packages' tests start from these too). */
    public static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put(S3SinkConfig.S3_BUCKET, "lake");
        props.put(S3SinkConfig.SCHEMA_REGISTRY_URL, "http://registry:8081");
        return props;
    }

    @Test
    void defaultsAreSnappyUtcAndRecordTime() {
        S3SinkConfig c = new S3SinkConfig(minimal());
        assertThat(c.codec()).isEqualTo("snappy");
        assertThat(c.usesRecordField()).isFalse();
        assertThat(c.rotateScheduleIntervalMs()).isEqualTo(-1);
        assertThat(c.tableFor("lake.app_events")).isEqualTo("app_events");
        assertThat(c.tableFor("other")).isEqualTo("other");
    }

    @Test
    void requiredKeysAndBadValuesAreNamed() {
        Map<String, String> props = minimal();
        props.remove(S3SinkConfig.S3_BUCKET);
        assertThatThrownBy(() -> new S3SinkConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(S3SinkConfig.S3_BUCKET);
        Map<String, String> badCodec = minimal();
        badCodec.put(S3SinkConfig.PARQUET_CODEC, "lz5");
        assertThatThrownBy(() -> new S3SinkConfig(badCodec)).hasMessageContaining(S3SinkConfig.PARQUET_CODEC);
        Map<String, String> localZone = minimal();
        localZone.put(S3SinkConfig.TIMEZONE, "Asia/Tokyo");
        assertThatThrownBy(() -> new S3SinkConfig(localZone)).hasMessageContaining(S3SinkConfig.TIMEZONE);
    }

    @Test
    void crossFieldRulesAreCheckedAndReportedAgainstTheirKey() {
        Map<String, String> props = minimal();
        props.put(S3SinkConfig.TIMESTAMP_EXTRACTOR, "RecordField");
        props.put(S3SinkConfig.S3_SSE_TYPE, "aws:kms");
        assertThatThrownBy(() -> new S3SinkConfig(props))
                .hasMessageContaining("RecordField needs timestamp.field")
                .hasMessageContaining("aws:kms needs s3.sse.kms.key.id");

        Map<String, ConfigValue> results = new HashMap<>();
        new S3ParquetSinkConnector().validate(props).configValues().forEach(v -> results.put(v.name(), v));
        assertThat(results.get(S3SinkConfig.TIMESTAMP_FIELD).errorMessages()).singleElement().asString()
                .contains("RecordField");
        assertThat(results.get(S3SinkConfig.S3_SSE_KMS_KEY_ID).errorMessages()).hasSize(1);
        assertThat(results.get(S3SinkConfig.S3_BUCKET).errorMessages()).isEmpty();
    }

    @Test
    void aConnectorNeedsTheBrokersForTopicIdsWhileToolsOutsideConnectDoNot() {
        Map<String, String> props = minimal();
        assertThat(new S3SinkConfig(props).kafkaBootstrapServers()).isEmpty();
        assertThat(new S3SinkConfig(props).connectorName()).isEmpty();
        assertThatThrownBy(() -> new S3ParquetSinkConnector().start(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(S3SinkConfig.KAFKA_BOOTSTRAP + " is empty");
        Map<String, ConfigValue> results = new HashMap<>();
        new S3ParquetSinkConnector().validate(props).configValues().forEach(v -> results.put(v.name(), v));
        assertThat(results.get(S3SinkConfig.KAFKA_BOOTSTRAP).errorMessages()).singleElement().asString()
                .contains("read each topic's id");

        props.put("consumer.override.bootstrap.servers", "kafka-2:9092");
        props.put(S3SinkConfig.CONNECTOR_NAME, "lake-sink");
        S3SinkConfig config = new S3SinkConfig(props);
        assertThat(config.kafkaBootstrapServers()).isEqualTo("kafka-2:9092");
        assertThat(config.connectorName()).isEqualTo("lake-sink");
        assertThat(S3SinkConfig.connectorProblems(props)).isEmpty();
    }

    @Test
    void conditionalWritesAreProbedByDefaultAndOtherwiseRequiredOrOff() {
        assertThat(new S3SinkConfig(minimal()).conditionalWrites()).isEqualTo(S3SinkConfig.ConditionalWrites.AUTO);
        Map<String, String> props = minimal();
        props.put(S3SinkConfig.S3_CONDITIONAL_WRITES, "required");
        assertThat(new S3SinkConfig(props).conditionalWrites()).isEqualTo(S3SinkConfig.ConditionalWrites.REQUIRED);
        props.put(S3SinkConfig.S3_CONDITIONAL_WRITES, "sometimes");
        assertThatThrownBy(() -> new S3SinkConfig(props)).hasMessageContaining(S3SinkConfig.S3_CONDITIONAL_WRITES);
    }

    @Test
    void valuesMustArriveAsBytesSoThatTheRegisteredSchemaIsKept() {
        Map<String, String> props = minimal();
        props.put(S3SinkConfig.VALUE_CONVERTER, "org.apache.kafka.connect.json.JsonConverter");
        assertThatThrownBy(() -> new S3SinkConfig(props)).hasMessageContaining("needs value.converter="
                + S3SinkConfig.BYTE_ARRAY_CONVERTER);
        props.put(S3SinkConfig.VALUE_CONVERTER, S3SinkConfig.BYTE_ARRAY_CONVERTER);
        assertThat(new S3SinkConfig(props).bucket()).isEqualTo("lake");
    }

    @Test
    void avroRowsNeedTheRegistryAndTheRawArchiveNeedsBytesEverywhereInstead() {
        Map<String, String> avro = minimal();
        avro.remove(S3SinkConfig.SCHEMA_REGISTRY_URL);
        assertThatThrownBy(() -> new S3SinkConfig(avro)).hasMessageContaining("schema.registry.url is required");

        Map<String, String> raw = new HashMap<>(avro);
        raw.put(RawFormat.RECORD_FORMAT, RawFormat.RAW);
        raw.put(S3SinkConfig.VALUE_CONVERTER, S3SinkConfig.BYTE_ARRAY_CONVERTER);
        raw.put("key.converter", S3SinkConfig.BYTE_ARRAY_CONVERTER);
        assertThatThrownBy(() -> new S3SinkConfig(raw)).as("headers must stay bytes too")
                .hasMessageContaining("needs header.converter=" + S3SinkConfig.BYTE_ARRAY_CONVERTER);
        raw.put("header.converter", S3SinkConfig.BYTE_ARRAY_CONVERTER);
        raw.put(RawFormat.EVENTS_TOPICS, "app.events");
        S3SinkConfig config = new S3SinkConfig(raw);
        assertThat(config.rawFormat()).isTrue();
        byte[] event = "{\"event_time\":\"2025-11-22T03:15:30Z\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(config.rawTimeOf("app.events").of(event, 1_763_790_000_000L).source())
                .isEqualTo(io.tributary.schemas.time.RawTime.Source.EVENT_TIME);
        assertThat(config.rawTimeOf("tributary.shop.masters").of(event, 1_763_790_000_000L).source())
                .as("other topics are Debezium's").isEqualTo(io.tributary.schemas.time.RawTime.Source.KAFKA_TIMESTAMP);
        raw.put(RawFormat.EVENTS_MIN_TIME, "yesterday");
        assertThatThrownBy(() -> new S3SinkConfig(raw)).hasMessageContaining("raw.events.min.time is yesterday");
    }
}
