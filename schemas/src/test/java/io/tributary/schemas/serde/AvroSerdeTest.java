package io.tributary.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.registry.SchemaRegistryClients;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
    private static final String URL = "mock://serde-test";
    private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", URL);

    @AfterEach
    void forgetRegistry() {
        SchemaRegistryClients.dropMock(URL);
    }

    static GenericRecord master(long id, String name) {
        GenericRecord r = new GenericData.Record(Contracts.schema(Contracts.MASTERS));
        r.put("id", id);
        r.put("code", "web");
        r.put("display_name", name);
        r.put("_op", "c");
        r.put("_source_ts", 1_763_780_400_000L);
        r.put("_deleted", false);
        return r;
    }

    @Test
    void writesMagicByteSchemaIdAndThePlainAvroBody() throws Exception {
        GenericRecord record = master(3, "ウェブ");
        byte[] bytes = new AvroSerializer(CONFIG, false).serialize("lake.masters", record);

        int id = SchemaRegistryClients.forUrl(URL).latest("lake.masters-value").id();
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(body.toByteArray());
    }

    @Test
    void roundTripsUnicodeAndDecimals() {
        Schema schema = Contracts.schema(Contracts.APP_EVENTS);
        GenericRecord event = new GenericData.Record(schema);
        event.put("event_id", "e-1");
        event.put("event_time", 1_763_780_400_123L);
        event.put("user_profile_address_city", "東京都渋谷区");
        Schema decimal = schema.getField("amount").schema().getTypes().get(1);
        event.put("amount", new Conversions.DecimalConversion().toBytes(new BigDecimal("1234.50"), decimal,
                LogicalTypes.decimal(18, 2)));
        event.put("extra", Map.of("ユーザー_名前", "\"山田\""));
        event.put("_enrichment", "ok");

        byte[] bytes = new AvroSerializer(CONFIG, false).serialize("lake.app_events", event);
        GenericRecord back = new AvroDeserializer(CONFIG).deserialize("lake.app_events", bytes);

        assertThat(back.get("user_profile_address_city").toString()).isEqualTo("東京都渋谷区");
        assertThat(new Conversions.DecimalConversion().fromBytes((ByteBuffer) back.get("amount"), decimal,
                LogicalTypes.decimal(18, 2))).isEqualByComparingTo("1234.50");
        assertThat(back.get("extra").toString()).contains("ユーザー_名前");
        assertThat(back).isEqualTo(event);
    }

    @Test
    void registersUnderTopicNameStrategySubjectsAndReusesTheId() {
        AvroSerializer serializer = new AvroSerializer(CONFIG, false);
        byte[] a = serializer.serialize("lake.masters", master(1, "a"));
        byte[] b = serializer.serialize("lake.masters", master(2, "b"));
        assertThat(SchemaRegistryClients.forUrl(URL).subjects()).containsExactly("lake.masters-value");
        assertThat(Arrays.copyOfRange(a, 0, 5)).isEqualTo(Arrays.copyOfRange(b, 0, 5));
    }

    @Test
    void oneSerializerAlternatingTopicsAndSchemasFramesEachRecordWithItsOwnSubjectsId() {
        AvroSerializer serializer = new AvroSerializer(CONFIG, false);
        Schema withColumn = org.apache.avro.SchemaBuilder.record("Master").namespace("io.tributary.lake").fields()
                .optionalString("only").endRecord();
        GenericRecord other = new GenericData.Record(withColumn);
        other.put("only", "x");
        var registry = SchemaRegistryClients.forUrl(URL);
        for (int i = 0; i < 3; i++) { // every change of topic or schema, in both directions, more than once
            int a = frameId(serializer.serialize("lake.a", master(i, "a")));
            int b = frameId(serializer.serialize("lake.b", master(i, "b")));
            int otherA = frameId(serializer.serialize("lake.a", other));
            int a2 = frameId(serializer.serialize("lake.a", master(i, "a")));
            assertThat(a).isEqualTo(a2).isEqualTo(registry.lookupId("lake.a-value", master(0, "").getSchema()));
            assertThat(b).isEqualTo(registry.lookupId("lake.b-value", master(0, "").getSchema()));
            assertThat(otherA).isEqualTo(registry.lookupId("lake.a-value", withColumn)).isNotEqualTo(a);
        }
    }

    private static int frameId(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    @Test
    void withoutAutoRegisterAnUnknownSchemaIsAClearError() {
        AvroSerializer serializer = new AvroSerializer(Map.of("schema.registry.url", URL, "auto.register.schemas", "false"), false);
        assertThatThrownBy(() -> serializer.serialize("lake.masters", master(1, "a")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot find the schema io.tributary.lake.Master under subject lake.masters-value");
    }

    @Test
    void rejectsBytesThatAreNotConfluentFramed() {
        AvroDeserializer deserializer = new AvroDeserializer(CONFIG);
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {1, 0, 0, 0, 1, 2}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte is 1");
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0}))
                .hasMessageContaining("fewer than the 5-byte header");
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0, 0, 0, 99, 2}))
                .hasMessageContaining("Cannot resolve schema id 99");
    }

    @Test
    void unreachableRegistryNamesTheUrl() {
        AvroSerializer serializer = new AvroSerializer(Map.of("schema.registry.url", "http://127.0.0.1:1"), false);
        assertThatThrownBy(() -> serializer.serialize("lake.masters", master(1, "a")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("http://127.0.0.1:1 is unreachable");
    }
}
