package io.tributary.streams.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.streams.dlq.RecordFailure;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Maps Connect/Debezium column types to Avro types Athena reads, and converts JSON payload values to
 * the Avro representation of the lake column: Decimal to decimal, Debezium's Date/Timestamp/
 * MicroTimestamp/ZonedTimestamp to date and timestamp-millis/micros, integers and floats by width.
 */
public final class ConnectTypes {
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private ConnectTypes() {
    }

    /** The Avro type of a new column, from its Connect field schema. */
    public static Schema avroType(JsonNode field) {
        String name = field.path("name").asText("");
        JsonNode params = field.path("parameters");
        switch (name) {
            case "org.apache.kafka.connect.data.Decimal" -> {
                int scale = params.path("scale").asInt(0);
                int precision = params.path("connect.decimal.precision").asInt(38);
                return LogicalTypes.decimal(precision, scale).addToSchema(Schema.create(Schema.Type.BYTES));
            }
            case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" -> {
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            }
            case "io.debezium.time.Timestamp", "org.apache.kafka.connect.data.Timestamp" -> {
                return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            }
            case "io.debezium.time.MicroTimestamp", "io.debezium.time.NanoTimestamp", "io.debezium.time.ZonedTimestamp" -> {
                return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            }
            default -> {
                return switch (field.path("type").asText()) {
                    case "int8", "int16", "int32" -> Schema.create(Schema.Type.INT);
                    case "int64" -> Schema.create(Schema.Type.LONG);
                    case "float32" -> Schema.create(Schema.Type.FLOAT);
                    case "float64" -> Schema.create(Schema.Type.DOUBLE);
                    case "boolean" -> Schema.create(Schema.Type.BOOLEAN);
                    case "bytes" -> Schema.create(Schema.Type.BYTES);
                    default -> Schema.create(Schema.Type.STRING); // string, json, enum, set, and anything new
                };
            }
        }
    }

    /**
     * Converts a payload value of a column with Connect schema {@code field} to lake type {@code target}.
     * A value of the wrong JSON type (text where a number belongs, say) is a failure, never a default
     * such as 0 or false; the message names the column and the types, not the value.
     */
    public static Object convert(String column, JsonNode value, JsonNode field, Schema target) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            LogicalType logical = target.getLogicalType();
            String source = field.path("name").asText("");
            return switch (target.getType()) {
                case STRING -> value.isValueNode() ? value.asText() : value.toString();
                case BOOLEAN -> {
                    if (!value.isBoolean()) {
                        throw new Mismatch("expected true or false");
                    }
                    yield value.booleanValue();
                }
                case INT -> Math.toIntExact(integer(value));
                case LONG -> logical instanceof LogicalTypes.TimestampMillis ? epochMicros(value, source) / 1000
                        : logical instanceof LogicalTypes.TimestampMicros ? epochMicros(value, source) : integer(value);
                case FLOAT -> number(value).floatValue();
                case DOUBLE -> number(value).doubleValue();
                case BYTES -> logical instanceof LogicalTypes.Decimal d
                        ? DECIMALS.toBytes(decimal(value, field).setScale(d.getScale(), RoundingMode.UNNECESSARY), target, d)
                        : ByteBuffer.wrap(Base64.getDecoder().decode(text(value)));
                default -> throw new IllegalStateException("lake column type " + target + " is not supported");
            };
        } catch (RuntimeException e) {
            String reason = e instanceof Mismatch ? " (" + e.getMessage() + ")" : "";
            throw new RecordFailure(RecordFailure.CDC_PARSE, "column " + column + ": a JSON "
                    + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " value cannot be converted to "
                    + target + reason, e);
        }
    }

    /** A value of the wrong JSON type, in our words (other libraries' messages may quote the value). */
    private static final class Mismatch extends IllegalArgumentException {
        Mismatch(String reason) {
            super(reason);
        }
    }

    private static long integer(JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new Mismatch("expected an integer of at most 64 bits");
        }
        return value.longValue();
    }

    private static JsonNode number(JsonNode value) {
        if (!value.isNumber()) {
            throw new Mismatch("expected a number");
        }
        return value;
    }

    private static String text(JsonNode value) {
        if (!value.isTextual()) {
            throw new Mismatch("expected a string");
        }
        return value.textValue();
    }

    private static long epochMicros(JsonNode value, String sourceType) {
        return switch (sourceType) {
            case "io.debezium.time.ZonedTimestamp" -> {
                Instant i = Instant.parse(text(value));
                yield Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
            }
            case "io.debezium.time.MicroTimestamp" -> integer(value);
            case "io.debezium.time.NanoTimestamp" -> integer(value) / 1000;
            case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" -> Math.multiplyExact(integer(value), 86_400_000_000L);
            default -> Math.multiplyExact(integer(value), 1000L); // millis
        };
    }

    private static BigDecimal decimal(JsonNode value, JsonNode field) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if ("org.apache.kafka.connect.data.Decimal".equals(field.path("name").asText(""))) {
            // decimal.handling.mode=precise: base64 of the big-endian two's-complement unscaled value
            int scale = field.path("parameters").path("scale").asInt(0);
            return new BigDecimal(new BigInteger(Base64.getDecoder().decode(text(value))), scale);
        }
        return new BigDecimal(text(value)); // decimal.handling.mode=string
    }
}
