package io.tributary.cli.cdc;

import io.tributary.schemas.lake.LakeNames;
import io.tributary.schemas.registry.SchemaRegistryClients;
import io.tributary.schemas.serde.AvroSerializer;
import io.tributary.streams.cdc.LakeSchemaEvolution;
import io.tributary.streams.cdc.SourcePosition;
import io.tributary.streams.events.ValueCoercion;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Heals rows the lake still has although the database deleted them. Debezium cannot send a delete
 * again (an incremental snapshot reads only rows that exist), so this writes the delete row itself to
 * the table's lake topic: the lake's current row with {@code _op = d}, {@code _deleted = true}, the
 * time of the repair as {@code _source_ts} and the database's current binlog position as
 * {@code _source_pos}, which orders it after every change the row had. The sink writes it like any row.
 */
final class LakeDeletes {
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private final Map<String, Object> producerConfig;
    private final String registryUrl;

    LakeDeletes(Map<String, Object> producerConfig, String registryUrl) {
        this.producerConfig = producerConfig;
        this.registryUrl = registryUrl;
    }

    /** Writes a delete row for each key; returns how many. */
    int write(LakeState lake, VerifiedTable t, Collection<String> keys, String lakeTopic, SourcePosition at)
            throws SQLException {
        Schema schema = SchemaRegistryClients.forUrl(registryUrl).latest(LakeNames.subject(lakeTopic)).schema();
        long now = System.currentTimeMillis();
        String condition = RowText.lakeKey(t.key()) + " IN (" + keys.stream().map(k -> "'" + k.replace("'", "''") + "'")
                .collect(Collectors.joining(", ")) + ")";
        int[] written = {0};
        try (AvroSerializer values = new AvroSerializer();
             KafkaProducer<String, GenericRecord> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), values)) {
            values.configure(Map.of("schema.registry.url", registryUrl, "auto.register.schemas", false), false);
            lake.forEachCurrentRow(t, condition, r -> {
                GenericRecord row = new GenericData.Record(schema);
                for (Schema.Field f : schema.getFields()) {
                    row.put(f.name(), column(r, f));
                }
                row.put(LakeSchemaEvolution.OP, "d");
                row.put(LakeSchemaEvolution.DELETED, true);
                row.put(LakeSchemaEvolution.SOURCE_TS, now);
                row.put(LakeSchemaEvolution.SOURCE_POS, at.sortable(0));
                String key = t.key().stream().map(c -> text(r, c.lakeName())).collect(Collectors.joining("|"));
                producer.send(new ProducerRecord<>(lakeTopic, null, now, key, row));
                written[0]++;
            });
            producer.flush();
        }
        return written[0];
    }

    private static String text(ResultSet r, String column) {
        try {
            return r.getString(column);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A lake column's value as the Avro field holds it; null for columns the row's files lack. */
    private static Object column(ResultSet r, Schema.Field f) throws SQLException {
        if (!has(r, f.name())) {
            return null;
        }
        Object value = r.getObject(f.name());
        if (value == null) {
            return null;
        }
        Schema type = ValueCoercion.nonNull(f.schema());
        LogicalType logical = type.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal d) {
            return DECIMALS.toBytes(new BigDecimal(value.toString()).setScale(d.getScale()), type, d);
        }
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros) {
            java.time.Instant i = r.getObject(f.name(), java.time.OffsetDateTime.class).toInstant();
            return logical instanceof LogicalTypes.TimestampMillis ? i.toEpochMilli()
                    : i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
        }
        if (logical instanceof LogicalTypes.Date) {
            return (int) r.getObject(f.name(), java.time.LocalDate.class).toEpochDay();
        }
        return switch (type.getType()) {
            case BYTES -> ByteBuffer.wrap(r.getBytes(f.name()));
            case STRING -> value.toString();
            case INT -> ((Number) value).intValue();
            case LONG -> ((Number) value).longValue();
            case FLOAT -> ((Number) value).floatValue();
            case DOUBLE -> ((Number) value).doubleValue();
            default -> value;
        };
    }

    private static boolean has(ResultSet r, String column) throws SQLException {
        var meta = r.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (meta.getColumnName(i).equals(column)) {
                return true;
            }
        }
        return false;
    }
}
