package io.tributary.connect.s3.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schemas.serde.AvroDeserializer;
import io.tributary.schemas.serde.AvroSerializer;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class AvroRecordDecoderTest {
    private static final String REGISTRY = "mock://avro-record-decoder-test";
    private static final Schema SCHEMA = SchemaBuilder.record("Row").fields().requiredLong("id")
            .name("at_us").type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
            .endRecord();
    private final AvroSerializer serializer = new AvroSerializer(Map.of("schema.registry.url", REGISTRY), false);

    private byte[] bytes(long id, long atMicros) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("id", id);
        r.put("at_us", atMicros);
        return serializer.serialize("lake.rows", r);
    }

    private static SinkRecord record(Object value, Long timestamp) {
        return new SinkRecord("lake.rows", 0, null, null, null, value, 42, timestamp, TimestampType.CREATE_TIME);
    }

    private static RecordDecoder decoder(String registry, String field) {
        return new AvroRecordDecoder(new AvroDeserializer(Map.of("schema.registry.url", registry)), field);
    }

    @Test
    void readsTheRegisteredSchemaAndTakesTheTimeFromTheRecordOrAField() {
        RecordDecoder.Decoded byRecord = decoder(REGISTRY, null).decode(record(bytes(7, 5_000_000), 1_234L));
        assertThat(byRecord.value().getSchema()).isEqualTo(SCHEMA);
        assertThat(byRecord.value().get("id")).isEqualTo(7L);
        assertThat(byRecord.time()).isEqualTo(1_234L);
        assertThat(decoder(REGISTRY, "at_us").decode(record(bytes(7, 5_000_999), null)).time())
                .as("micros are turned into millis").isEqualTo(5_000L);
    }

    @Test
    void unreadableRecordsAreDataErrorsButAnUnreachableRegistryIsRetriableAndAWrongConverterStopsTheTask() {
        RecordDecoder decoder = decoder(REGISTRY, null);
        assertThatThrownBy(() -> decoder.decode(record(null, 1L))).isInstanceOf(DataException.class).hasMessageContaining("tombstone");
        assertThatThrownBy(() -> decoder.decode(record(new byte[] {1, 2, 3}, 1L))).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> decoder.decode(record(new byte[] {0, 0, 0, 0, 99, 1}, 1L)))
                .isInstanceOf(DataException.class).hasMessageContaining("schema id 99");
        assertThatThrownBy(() -> decoder.decode(record(bytes(1, 1), null))).isInstanceOf(DataException.class)
                .hasMessageContaining("no timestamp");
        assertThatThrownBy(() -> decoder(REGISTRY, "missing").decode(record(bytes(1, 1), 1L)))
                .isInstanceOf(DataException.class).hasMessageContaining("'missing' is not in the schema");
        assertThatThrownBy(() -> decoder.decode(record(Map.of("id", 1), 1L))).isInstanceOf(ConnectException.class)
                .isNotInstanceOf(DataException.class).hasMessageContaining("ByteArrayConverter");
        assertThatThrownBy(() -> decoder("http://127.0.0.1:1", null).decode(record(bytes(1, 1), 1L)))
                .isInstanceOf(RetriableException.class).hasMessageContaining("unreachable");
    }
}
