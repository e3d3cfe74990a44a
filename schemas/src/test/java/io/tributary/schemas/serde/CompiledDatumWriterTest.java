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
import org.apache.avro.AvroTypeException;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.UnresolvedUnionException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CompiledDatumWriterTest {
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
    /** Every other Avro type, a nested record, and a record that holds itself. */
    private static final Schema ALL_TYPES = new Schema.Parser().parse("""
            {"type": "record", "name": "Node", "namespace": "t", "fields": [
              {"name": "i", "type": "int"}, {"name": "f", "type": "float"}, {"name": "b", "type": "boolean"},
              {"name": "raw", "type": "bytes"}, {"name": "n", "type": "null"},
              {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B", "C"]}},
              {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 4}},
              {"name": "point", "type": {"type": "record", "name": "Point", "fields": [{"name": "x", "type": "double"}]}},
              {"name": "points", "type": {"type": "array", "items": "Point"}},
              {"name": "child", "type": ["null", "Node"]},
              {"name": "any", "type": ["Kind", "Hash", "bytes", "null", "float", "boolean", "Point"]}
            ]}""");

    static Stream<Schema> schemas() {
        return Stream.concat(Contracts.TABLES.stream().map(Contracts::schema), Stream.of(UNIONS, ALL_TYPES));
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void writesTheBytesOfAvrosGenericWriter(Schema schema) throws Exception {
        DatumWriter<IndexedRecord> compiled = CompiledDatumWriter.of(schema, GenericData.get());
        assertThat(compiled).isInstanceOf(CompiledDatumWriter.class);
        GenericDatumWriter<IndexedRecord> avro = new GenericDatumWriter<>(schema);
        Random random = new Random(11);
        for (int n = 0; n < 2_000; n++) {
            GenericRecord record = (GenericRecord) randomValue(schema, random, 0);
            assertThat(write(compiled, record)).as("%s", record).isEqualTo(write(avro, record));
        }
    }

    @Test
    void aValueOfTheWrongTypeIsAnErrorNamingTheField() {
        GenericRecord record = new GenericData.Record(UNIONS);
        record.put("null_first", "not a long");
        record.put("no_null", 1L);
        record.put("list", List.of());
        assertThatThrownBy(() -> write(CompiledDatumWriter.of(UNIONS, GenericData.get()), record))
                .isInstanceOf(AvroTypeException.class).hasMessageContaining("field Unions.null_first holds a String");
        record.put("null_first", null);
        record.put("no_null", true);
        assertThatThrownBy(() -> write(CompiledDatumWriter.of(UNIONS, GenericData.get()), record))
                .isInstanceOf(UnresolvedUnionException.class);
        record.put("no_null", null);
        assertThatThrownBy(() -> write(CompiledDatumWriter.of(UNIONS, GenericData.get()), record))
                .isInstanceOf(UnresolvedUnionException.class);
        GenericRecord required = new GenericData.Record(ALL_TYPES);
        assertThatThrownBy(() -> write(CompiledDatumWriter.of(ALL_TYPES, GenericData.get()), required))
                .isInstanceOf(AvroTypeException.class).hasMessageContaining("field Node.i holds null");
    }

    @Test
    void withConversionsRegisteredAvrosOwnWriterApplies() {
        GenericData withDecimals = new GenericData();
        withDecimals.addLogicalTypeConversion(new Conversions.DecimalConversion());
        assertThat(CompiledDatumWriter.of(UNIONS, withDecimals)).isInstanceOf(GenericDatumWriter.class);
    }

    private static byte[] write(DatumWriter<IndexedRecord> writer, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** A random value of the schema; past depth 4, a union's null branch where it has one (the recursion ends). */
    private static Object randomValue(Schema schema, Random random, int depth) {
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
            case UNION -> {
                Integer nullBranch = schema.getIndexNamed("null");
                int branch = depth > 4 && nullBranch != null ? nullBranch : random.nextInt(schema.getTypes().size());
                yield randomValue(schema.getTypes().get(branch), random, depth + 1);
            }
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(randomText(random) + i, randomValue(schema.getValueType(), random, depth + 1));
                }
                yield map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(randomValue(schema.getElementType(), random, depth + 1));
                }
                yield list;
            }
            case RECORD -> {
                GenericRecord record = new GenericData.Record(schema);
                for (Schema.Field f : schema.getFields()) {
                    record.put(f.pos(), randomValue(f.schema(), random, depth + 1));
                }
                yield record;
            }
            case FIXED -> {
                byte[] bytes = new byte[schema.getFixedSize()];
                random.nextBytes(bytes);
                yield new GenericData.Fixed(schema, bytes);
            }
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
