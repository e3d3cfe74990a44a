package io.tributary.connect.s3.record;

import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.schemas.registry.SchemaRegistryException;
import io.tributary.schemas.serde.AvroDeserializer;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Reads lake rows ({@code record.format=avro}): turns a sink record into the Avro record and time the writer needs. Values are Confluent-wire
 * Avro bytes (ByteArrayConverter), read with the registered writer schema, so a Parquet file's
 * schema is exactly the registered one. A record that cannot be read is a {@link DataException}
 * (errant: reported, the task goes on); an unreachable registry is a {@link RetriableException};
 * a value that is not bytes at all is a misconfiguration that stops the task.
 */
public final class AvroRecordDecoder implements RecordDecoder {
    private final AvroDeserializer deserializer;
    private final String timestampField;

    public AvroRecordDecoder(AvroDeserializer deserializer, String timestampField) {
        this.deserializer = deserializer;
        this.timestampField = timestampField;
    }

    public static AvroRecordDecoder of(S3SinkConfig config) {
        AvroDeserializer deserializer = new AvroDeserializer(Map.of(S3SinkConfig.SCHEMA_REGISTRY_URL, config.schemaRegistryUrl()));
        return new AvroRecordDecoder(deserializer, config.usesRecordField() ? config.timestampField() : null);
    }

    @Override
    public Decoded decode(SinkRecord record) {
        Object value = record.value();
        if (value == null) {
            throw new DataException("the record has no value (a tombstone); lake topics hold rows, not deletions");
        }
        if (!(value instanceof byte[] bytes)) {
            throw new ConnectException("The record value is a " + value.getClass().getName() + ", not bytes: set "
                    + "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter on this connector so "
                    + "that values keep their registered Avro schema.");
        }
        GenericRecord avro;
        try {
            avro = deserializer.deserialize(record.topic(), bytes);
        } catch (SerializationException e) {
            if (e.getCause() instanceof SchemaRegistryException r
                    && (r.errorCode() == SchemaRegistryException.UNREACHABLE || r.httpStatus() >= 500)) {
                throw new RetriableException(e.getMessage(), e);
            }
            throw new DataException(e.getMessage(), e);
        }
        return new Decoded(avro, timeOf(record, avro), bytes.length);
    }

    private long timeOf(SinkRecord record, GenericRecord avro) {
        if (timestampField == null) {
            if (record.timestamp() == null) {
                throw new DataException("the record has no timestamp; set timestamp.extractor=RecordField to take "
                        + "the time from a field");
            }
            return record.timestamp();
        }
        Schema.Field field = avro.getSchema().getField(timestampField);
        Object time = field == null ? null : avro.get(field.pos());
        if (!(time instanceof Long millis)) {
            throw new DataException("timestamp.field '" + timestampField + "' is " + (field == null ? "not in the schema "
                    + avro.getSchema().getFullName() : "null or not a long: " + time));
        }
        return isMicros(field.schema()) ? Math.floorDiv(millis, 1000) : millis;
    }

    private static boolean isMicros(Schema schema) {
        Schema s = schema;
        if (s.getType() == Schema.Type.UNION) {
            s = s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElse(s);
        }
        LogicalType type = s.getLogicalType();
        return type instanceof LogicalTypes.TimestampMicros || type instanceof LogicalTypes.LocalTimestampMicros;
    }
}
