package io.tributary.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schemas.contract.Contracts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.UnresolvedUnionException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PlainGenericDatumWriterTest {
    /** Unions in every shape the fast path must tell apart: null first, null last, no null, three branches. */
    private static final Schema UNIONS = new Schema.Parser().parse("""
            {"type": "record", "name": "Unions", "fields": [
              {"name": "null_first", "type": ["null", "long"]},
              {"name": "null_last", "type": ["string", "null"]},
              {"name": "no_null", "type": ["long", "string"]},
              {"name": "three", "type": ["null", "string", "long"]},
              {"name": "nested", "type": ["null", {"type": "map", "values": ["null", "string"]}]},
              {"name": "list", "type": {"type": "array", "items": ["double", "null"]}}
            ]}""");

    static Stream<Schema> schemas() {
        return Stream.concat(Contracts.TABLES.stream().map(Contracts::schema), Stream.of(UNIONS));
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void writesTheBytesOfAvrosGenericWriter(Schema schema) throws Exception {
        GenericDatumWriter<GenericRecord> plain = PlainGenericDatumWriter.of(schema, GenericData.get());
        assertThat(plain).isInstanceOf(PlainGenericDatumWriter.class);
        GenericDatumWriter<GenericRecord> avro = new GenericDatumWriter<>(schema);
        Random random = new Random(11);
        for (int n = 0; n < 2_000; n++) {
            GenericRecord record = (GenericRecord) randomValue(schema, random);
            assertThat(write(plain, record)).as("%s", record).isEqualTo(write(avro, record));
        }
    }

    @Test
    void aValueOfTheWrongTypeIsStillAnError() {
        GenericRecord record = new GenericData.Record(UNIONS);
        record.put("null_first", "not a long");
        record.put("no_null", true);
        record.put("list", List.of());
        assertThatThrownBy(() -> write(PlainGenericDatumWriter.of(UNIONS, GenericData.get()), record))
                .isInstanceOfAny(ClassCastException.class, UnresolvedUnionException.class);
    }

    @Test
    void withConversionsRegisteredAvrosOwnWriterApplies() {
        GenericData withDecimals = new GenericData();
        withDecimals.addLogicalTypeConversion(new Conversions.DecimalConversion());
        assertThat(PlainGenericDatumWriter.of(UNIONS, withDecimals)).isNotInstanceOf(PlainGenericDatumWriter.class);
    }

    private static byte[] write(GenericDatumWriter<GenericRecord> writer, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Object randomValue(Schema schema, Random random) {
        return switch (schema.getType()) {
            case NULL -> null;
            case BOOLEAN -> random.nextBoolean();
            case INT -> random.nextInt();
            case LONG -> random.nextLong();
            case FLOAT -> random.nextFloat();
            case DOUBLE -> random.nextDouble();
            case STRING -> random.nextBoolean() ? randomText(random) : new Utf8(randomText(random));
            case BYTES -> ByteBuffer.wrap(randomText(random).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())));
            case UNION -> randomValue(schema.getTypes().get(random.nextInt(schema.getTypes().size())), random);
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(randomText(random) + i, randomValue(schema.getValueType(), random));
                }
                yield map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(randomValue(schema.getElementType(), random));
                }
                yield list;
            }
            case RECORD -> {
                GenericRecord record = new GenericData.Record(schema);
                for (Schema.Field f : schema.getFields()) {
                    record.put(f.pos(), randomValue(f.schema(), random));
                }
                yield record;
            }
            case FIXED -> new GenericData.Fixed(schema, new byte[schema.getFixedSize()]);
        };
    }

    private static String randomText(Random random) {
        int[] alphabet = "ab_Zé東京都冬\"\\\n😀".codePoints().toArray();
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            s.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
        }
        return s.toString();
    }
}
