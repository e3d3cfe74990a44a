package io.tributary.lake.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every Avro type the lake uses maps to a Parquet type Athena (Trino) reads, and values round-trip. */
class ParquetTypeMappingTest {
    private static final Schema DECIMAL = LogicalTypes.decimal(12, 2).addToSchema(Schema.create(Schema.Type.BYTES));
    private static final Schema ADDRESS = SchemaBuilder.record("Address").fields()
            .requiredString("country").optionalString("city").endRecord();
    private static final Schema SCHEMA = SchemaBuilder.record("AllTypes").namespace("io.tributary.test").fields()
            .requiredString("s")
            .requiredInt("i")
            .requiredLong("l")
            .requiredFloat("f")
            .requiredDouble("d")
            .requiredBoolean("b")
            .requiredBytes("raw")
            .name("amount").type(DECIMAL).noDefault()
            .name("day").type(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT))).noDefault()
            .name("ts_ms").type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
            .name("ts_us").type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
            .name("extra").type().map().values().stringType().noDefault()
            .name("tags").type().array().items().stringType().noDefault()
            .name("addresses").type().array().items(ADDRESS).noDefault()
            .name("home").type(ADDRESS).noDefault()
            .optionalString("maybe")
            .name("maybe_ts").type().unionOf().nullType().and()
                .type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))).endUnion().nullDefault()
            .endRecord();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "codec {0}")
    @ValueSource(strings = {"snappy", "zstd", "gzip", "uncompressed"})
    void mapsEveryLakeTypeAndRoundTrips(String codec) throws Exception {
        Path file = dir.resolve("f.parquet");
        List<GenericRecord> written = List.of(record(1, "東京"), record(2, null));
        try (ParquetFileWriter writer = new ParquetFileWriter(file, SCHEMA, codec, 1 << 20, 64 << 10)) {
            for (GenericRecord r : written) {
                writer.write(r);
            }
            assertThat(writer.records()).isEqualTo(2);
        }

        MessageType parquet;
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            parquet = reader.getFooter().getFileMetaData().getSchema();
            assertThat(reader.getFooter().getBlocks().get(0).getColumns().get(0).getCodec().name())
                    .isEqualToIgnoringCase(codec);
        }
        assertPrimitive(parquet, "s", PrimitiveTypeName.BINARY, LogicalTypeAnnotation.stringType());
        assertPrimitive(parquet, "i", PrimitiveTypeName.INT32, null);
        assertPrimitive(parquet, "l", PrimitiveTypeName.INT64, null);
        assertPrimitive(parquet, "f", PrimitiveTypeName.FLOAT, null);
        assertPrimitive(parquet, "d", PrimitiveTypeName.DOUBLE, null);
        assertPrimitive(parquet, "b", PrimitiveTypeName.BOOLEAN, null);
        assertPrimitive(parquet, "raw", PrimitiveTypeName.BINARY, null);
        assertPrimitive(parquet, "amount", PrimitiveTypeName.BINARY, LogicalTypeAnnotation.decimalType(2, 12));
        assertPrimitive(parquet, "day", PrimitiveTypeName.INT32, LogicalTypeAnnotation.dateType());
        assertPrimitive(parquet, "ts_ms", PrimitiveTypeName.INT64, LogicalTypeAnnotation.timestampType(true, TimeUnit.MILLIS));
        assertPrimitive(parquet, "ts_us", PrimitiveTypeName.INT64, LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS));
        assertPrimitive(parquet, "maybe_ts", PrimitiveTypeName.INT64, LogicalTypeAnnotation.timestampType(true, TimeUnit.MILLIS));
        assertThat(parquet.getType("maybe").isRepetition(Type.Repetition.OPTIONAL)).isTrue();
        assertThat(parquet.getType("s").isRepetition(Type.Repetition.REQUIRED)).isTrue();
        assertThat(parquet.getType("extra").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.mapType());
        assertThat(parquet.getType("tags").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.listType());
        assertThat(parquet.getType("tags").asGroupType().getType(0).getName()).as("3-level list").isEqualTo("list");
        assertThat(parquet.getType("addresses").asGroupType().getType("list").asGroupType().getType("element")
                .asGroupType().getFieldCount()).isEqualTo(2);
        assertThat(parquet.getType("home").asGroupType().getFieldCount()).isEqualTo(2);
        assertThat(parquet.toString()).doesNotContain("int96").doesNotContain("NANOS");

        List<GenericRecord> read = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withDataModel(GenericData.get()).build()) {
            for (GenericRecord r; (r = reader.read()) != null; ) {
                read.add(r);
            }
        }
        assertThat(read).hasSize(2);
        assertThat(read.get(0).toString()).isEqualTo(written.get(0).toString());
        assertThat(read.get(1).toString()).isEqualTo(written.get(1).toString());
    }

    private static void assertPrimitive(MessageType schema, String column, PrimitiveTypeName type, LogicalTypeAnnotation logical) {
        Type t = schema.getType(column);
        assertThat(t.isPrimitive()).as(column).isTrue();
        assertThat(t.asPrimitiveType().getPrimitiveTypeName()).as(column).isEqualTo(type);
        assertThat(t.getLogicalTypeAnnotation()).as(column).isEqualTo(logical);
    }

    private static GenericRecord record(int n, String city) {
        GenericRecord address = new GenericData.Record(ADDRESS);
        address.put("country", "JP");
        address.put("city", city);
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("s", "行" + n);
        r.put("i", n);
        r.put("l", 10_000_000_000L + n);
        r.put("f", 1.5f * n);
        r.put("d", 2.25 * n);
        r.put("b", n % 2 == 0);
        r.put("raw", ByteBuffer.wrap(new byte[] {1, 2, (byte) n}));
        r.put("amount", new Conversions.DecimalConversion().toBytes(new BigDecimal("1234.5" + n), DECIMAL,
                LogicalTypes.decimal(12, 2)));
        r.put("day", (int) LocalDate.parse("2026-11-22").toEpochDay());
        r.put("ts_ms", Instant.parse("2026-11-22T03:15:30.250Z").toEpochMilli());
        r.put("ts_us", Instant.parse("2026-11-22T03:15:30.250Z").toEpochMilli() * 1000 + 7);
        r.put("extra", Map.of("キー", "値" + n));
        r.put("tags", List.of("a", "b" + n));
        r.put("addresses", List.of(address, address));
        r.put("home", address);
        r.put("maybe", city == null ? null : "x");
        r.put("maybe_ts", city == null ? null : 1L);
        return r;
    }
}
