package io.tributary.streams.dashboards;

import static io.tributary.schemas.dashboards.AggregateRows.BUCKET_END;
import static io.tributary.schemas.dashboards.AggregateRows.BUCKET_LABEL;
import static io.tributary.schemas.dashboards.AggregateRows.BUCKET_START;
import static io.tributary.schemas.dashboards.AggregateRows.BUCKET_UNIT;
import static io.tributary.schemas.dashboards.AggregateRows.BUCKET_ZONE;
import static io.tributary.schemas.dashboards.AggregateRows.UPDATED_AT;
import static io.tributary.schemas.dashboards.AggregateRows.ZONED_TIMESTAMP;
import static io.tributary.schemas.dashboards.AggregateRows.time;

import io.tributary.schemas.contract.Contracts;
import io.tributary.streams.config.Aggregate;
import io.tributary.streams.config.Measure;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * An aggregate's rows as Kafka Connect structs in JSON with schemas ({@link io.tributary.schemas.dashboards.AggregateRows}), written by
 * Kafka's own JsonConverter: exactly what the Debezium JDBC sink reads through the same converter (no
 * schema registry), and self-describing for the dashboard service. The key is the bucket start and the
 * group values (the table's primary key); the value repeats them and adds the bucket's end, zone, unit
 * and label, the measures and the time of the update. Values are absolute, never deltas, so an
 * at-least-once upsert of a row is idempotent.
 */
public final class ConnectRows {

    private final Aggregate aggregate;
    private final Bucketing bucketing;
    private final Schema keySchema;
    private final Schema valueSchema;
    private final List<Schema> measureSchemas = new ArrayList<>();

    public ConnectRows(Aggregate aggregate) {
        this.aggregate = aggregate;
        this.bucketing = Bucketing.of(aggregate);
        org.apache.avro.Schema contract = Contracts.schema(aggregate.table());
        String name = "io.tributary.dashboards." + aggregate.name();
        SchemaBuilder key = SchemaBuilder.struct().name(name + ".Key").field(BUCKET_START, zonedTimestamp());
        aggregate.groupBy().forEach(g -> key.field(g, Schema.STRING_SCHEMA));
        keySchema = key.build();
        SchemaBuilder value = SchemaBuilder.struct().name(name + ".Value").optional()
                .field(BUCKET_START, zonedTimestamp()).field(BUCKET_END, zonedTimestamp())
                .field(BUCKET_ZONE, Schema.STRING_SCHEMA).field(BUCKET_UNIT, Schema.STRING_SCHEMA)
                .field(BUCKET_LABEL, Schema.STRING_SCHEMA);
        aggregate.groupBy().forEach(g -> value.field(g, Schema.STRING_SCHEMA));
        for (Measure m : aggregate.measures()) {
            Schema schema = measureSchema(m, contract);
            measureSchemas.add(schema);
            value.field(m.name(), schema);
        }
        valueSchema = value.field(UPDATED_AT, zonedTimestamp()).build();
    }

    public Struct key(String bucketKey) {
        BucketKey k = BucketKey.decode(bucketKey);
        Struct key = new Struct(keySchema).put(BUCKET_START, time(k.start()));
        for (int i = 0; i < k.groups().size(); i++) {
            key.put(aggregate.groupBy().get(i), k.groups().get(i));
        }
        return key;
    }

    /** The row of a bucket and group: its totals, updated at {@code now}; null (a tombstone) when it holds no row. */
    public Struct value(String bucketKey, AggState state, long now) {
        if (state == null || state.count() == 0) {
            return null;
        }
        List<Measure> measures = aggregate.measures();
        List<Object> values = new ArrayList<>(measures.size());
        for (int i = 0; i < measures.size(); i++) {
            values.add(state.value(i, measures.get(i)));
        }
        return value(BucketKey.decode(bucketKey), values, now);
    }

    /**
     * The row of a bucket and group with these measure values (in the configured order; numbers as
     * BigDecimal, Long or Double), updated at {@code now}: the same record whoever computed the values.
     */
    public Struct value(BucketKey k, List<?> measureValues, long now) {
        Struct value = new Struct(valueSchema).put(BUCKET_START, time(k.start()))
                .put(BUCKET_END, time(bucketing.end(k.start()))).put(BUCKET_ZONE, aggregate.zone().getId())
                .put(BUCKET_UNIT, bucketing.unitName()).put(BUCKET_LABEL, bucketing.label(k.start()));
        for (int i = 0; i < k.groups().size(); i++) {
            value.put(aggregate.groupBy().get(i), k.groups().get(i));
        }
        List<Measure> measures = aggregate.measures();
        for (int i = 0; i < measures.size(); i++) {
            value.put(measures.get(i).name(), connectValue(measureValues.get(i), measureSchemas.get(i)));
        }
        return value.put(UPDATED_AT, time(now));
    }

    /** Bucket keys as JSON-with-schema structs, and back. */
    public Serde<String> keySerde() {
        JsonConverter converter = converter(true);
        return Serdes.serdeFrom((topic, bucketKey) -> bucketKey == null ? null : converter.fromConnectData(topic, keySchema, key(bucketKey)),
                (topic, bytes) -> bytes == null ? null : bucketKey((Struct) converter.toConnectData(topic, bytes).value()));
    }

    /** Row values as JSON with schema, and back; a null value stays null, the tombstone that deletes the table row. */
    public Serde<Struct> valueSerde() {
        JsonConverter converter = converter(false);
        return Serdes.serdeFrom((topic, value) -> value == null ? null : converter.fromConnectData(topic, valueSchema, value),
                (topic, bytes) -> bytes == null ? null : (Struct) converter.toConnectData(topic, bytes).value());
    }

    private String bucketKey(Struct key) {
        List<String> groups = aggregate.groupBy().stream().map(key::getString).toList();
        return new BucketKey(Instant.parse(key.getString(BUCKET_START)).toEpochMilli(), groups).encode();
    }

    /** Decimals as JSON numbers (readable in the topic; the worker's converter reads them exactly either way). */
    static JsonConverter converter(boolean isKey) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), isKey);
        return converter;
    }

    Schema keySchema() {
        return keySchema;
    }

    Schema valueSchema() {
        return valueSchema;
    }

    private static Schema zonedTimestamp() {
        return SchemaBuilder.string().name(ZONED_TIMESTAMP).version(1).build();
    }

    /**
     * Counts and distinct estimates are int64; sums of integers are decimals of scale 0 (SQL's sum of a
     * bigint is numeric too, and cannot overflow); decimal inputs keep their scale; floating inputs are float64.
     */
    private static Schema measureSchema(Measure m, org.apache.avro.Schema contract) {
        if (m.kind() == Measure.Kind.COUNT || m.kind() == Measure.Kind.APPROX_DISTINCT) {
            return Schema.INT64_SCHEMA;
        }
        org.apache.avro.Schema type = LakeValues.nonNull(contract.getField(m.column()).schema());
        return switch (LakeValues.numericKind(type)) {
            case FLOATING -> Schema.OPTIONAL_FLOAT64_SCHEMA;
            case INTEGER -> m.kind() == Measure.Kind.SUM ? Decimal.builder(0).optional().build() : Schema.OPTIONAL_INT64_SCHEMA;
            case DECIMAL -> Decimal.builder(LakeValues.scale(type)).optional().build();
        };
    }

    private static Object connectValue(Object v, Schema schema) {
        if (v instanceof BigDecimal d) {
            if (Decimal.LOGICAL_NAME.equals(schema.name())) {
                return d.setScale(Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD)), RoundingMode.UNNECESSARY);
            }
            return schema.type() == Schema.Type.FLOAT64 ? (Object) d.doubleValue() : (Object) d.longValueExact();
        }
        return v;
    }
}
