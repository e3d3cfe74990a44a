package io.tributary.connect.s3.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schemas.time.RawTime;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class RawRecordDecoderTest {
    private static final long KAFKA_TS = Instant.parse("2025-11-22T05:10:00Z").toEpochMilli();
    private final RawRecordDecoder decoder = new RawRecordDecoder(topic -> topic.equals("app.events")
            ? RawTime.events("event_time", 0, 3_600_000) : RawTime.debezium());

    private static SinkRecord record(String topic, Object key, Object value, ConnectHeaders headers) {
        return new SinkRecord(topic, 2, null, key, null, value, 1234, KAFKA_TS, TimestampType.CREATE_TIME, headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keepsTheRecordsBytesAndWhereItWasAndFilesItByItsEventTime() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.add("trace", utf8("t-1"), Schema.OPTIONAL_BYTES_SCHEMA);
        headers.add("empty", null, Schema.OPTIONAL_BYTES_SCHEMA);
        byte[] value = utf8("{\"event_id\":\"e-1\",\"event\":{\"time\":\"2025-11-22T03:15:30.250Z\"}}");
        RecordDecoder.Decoded decoded = decoder.decode(record("app.events", utf8("u-1"), value, headers));

        GenericRecord row = decoded.value();
        assertThat(decoded.time()).isEqualTo(Instant.parse("2025-11-22T03:15:30.250Z").toEpochMilli());
        assertThat(row.get("lake_time")).isEqualTo(decoded.time());
        assertThat(row.get("lake_time_source").toString()).isEqualTo("event_time");
        assertThat(row.get("topic").toString()).isEqualTo("app.events");
        assertThat(row.get("partition")).isEqualTo(2);
        assertThat(row.get("offset")).isEqualTo(1234L);
        assertThat(row.get("timestamp")).isEqualTo(KAFKA_TS);
        assertThat(row.get("timestamp_type").toString()).isEqualTo("CreateTime");
        assertThat(bytes(row.get("key"))).isEqualTo(utf8("u-1"));
        assertThat(bytes(row.get("value"))).isEqualTo(value);
        @SuppressWarnings("unchecked")
        List<GenericRecord> h = (List<GenericRecord>) row.get("headers");
        assertThat(h).hasSize(2);
        assertThat(h.get(0).get("key").toString()).isEqualTo("trace");
        assertThat(bytes(h.get(0).get("value"))).isEqualTo(utf8("t-1"));
        assertThat(h.get(1).get("value")).isNull();
        assertThat(decoded.bytes()).isEqualTo(3 + value.length + "trace".length() + 3 + "empty".length());
    }

    @Test
    void archivesWhatThePipelineCannotReadUnderItsKafkaTimestamp() {
        RecordDecoder.Decoded tombstone = decoder.decode(record("tributary.shop.masters", utf8("{\"id\":1}"), null,
                new ConnectHeaders()));
        assertThat(tombstone.value().get("value")).isNull();
        assertThat(tombstone.time()).isEqualTo(KAFKA_TS);
        assertThat(tombstone.value().get("lake_time_source").toString()).isEqualTo("kafka-timestamp");
        RecordDecoder.Decoded broken = decoder.decode(record("app.events", null, utf8("{not json"), new ConnectHeaders()));
        assertThat(broken.time()).isEqualTo(KAFKA_TS);
        assertThat(broken.value().get("key")).isNull();
    }

    @Test
    void anythingButBytesIsAConverterMistakeThatStopsTheTask() {
        assertThatThrownBy(() -> decoder.decode(record("app.events", "text key", utf8("{}"), new ConnectHeaders())))
                .isInstanceOf(ConnectException.class).isNotInstanceOf(DataException.class)
                .hasMessageContaining("needs key.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("h", "parsed");
        assertThatThrownBy(() -> decoder.decode(record("app.events", null, utf8("{}"), headers)))
                .hasMessageContaining("header.converter");
    }

    private static byte[] bytes(Object buffer) {
        ByteBuffer b = ((ByteBuffer) buffer).duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
