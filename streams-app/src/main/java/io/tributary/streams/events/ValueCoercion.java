package io.tributary.streams.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.streams.dlq.RecordFailure;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Converts one JSON value to the Avro representation of a contract type: numbers from numbers or
 * numeric strings, timestamps from ISO-8601 strings or epoch millis, decimals exactly (never
 * rounded), anything to string. Failures name the field and, unless it is PII, the value.
 */
public final class ValueCoercion {
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private ValueCoercion() {
    }

    /** Fails at start-up, not per record, when a contract uses a type this cannot fill. */
    public static void requireSupported(Schema.Field field) {
        Schema t = nonNull(field.schema());
        LogicalType logical = t.getLogicalType();
        boolean ok = switch (t.getType()) {
            case STRING, BOOLEAN, DOUBLE, FLOAT -> true;
            case INT -> logical == null || logical instanceof LogicalTypes.Date;
            case LONG -> logical == null || logical instanceof LogicalTypes.TimestampMillis
                    || logical instanceof LogicalTypes.TimestampMicros;
            case BYTES -> logical instanceof LogicalTypes.Decimal;
            default -> false;
        };
        if (!ok) {
            throw new IllegalArgumentException("Contract field '" + field.name() + "' has type " + t
                    + ", which JSON events cannot be coerced to");
        }
    }

    /** The non-null branch of a nullable union (called per field per record: a plain loop). */
    public static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        throw new IllegalArgumentException("a union of only null: " + schema);
    }

    public static Object coerce(String field, JsonNode v, Schema type, boolean sensitive) {
        try {
            LogicalType logical = type.getLogicalType();
            return switch (type.getType()) {
                case STRING -> v.isValueNode() ? v.asText() : v.toString();
                case BOOLEAN -> bool(v);
                case INT -> logical instanceof LogicalTypes.Date ? date(v) : Math.toIntExact(integral(v));
                case LONG -> logical instanceof LogicalTypes.TimestampMillis ? timestampMillis(v)
                        : logical instanceof LogicalTypes.TimestampMicros ? Math.multiplyExact(timestampMillis(v), 1000L)
                        : integral(v);
                case DOUBLE -> v.isNumber() ? v.doubleValue() : decimal(v).doubleValue();
                case FLOAT -> v.isNumber() ? v.floatValue() : decimal(v).floatValue();
                case BYTES -> exactDecimal(v, type, (LogicalTypes.Decimal) logical);
                default -> throw new IllegalStateException("unsupported contract type " + type);
            };
        } catch (RuntimeException e) {
            String shown = sensitive ? "(value withheld: PII field)" : "'" + abbreviate(JsonFlattener.text(v)) + "'";
            throw new RecordFailure(RecordFailure.COERCE, "field " + field + ": " + shown + " is not a valid "
                    + describe(type) + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
    }

    private static boolean bool(JsonNode v) {
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        throw new IllegalArgumentException("expected true or false");
    }

    private static long integral(JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue(); // the common case, without BigDecimal
        }
        BigDecimal d = decimal(v);
        if (d.stripTrailingZeros().scale() > 0) {
            throw new ArithmeticException("has a fraction");
        }
        return d.longValueExact();
    }

    private static BigDecimal decimal(JsonNode v) {
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual()) {
            return new BigDecimal(v.asText().trim());
        }
        throw new IllegalArgumentException("expected a number or a numeric string");
    }

    private static long timestampMillis(JsonNode v) {
        if (v.isNumber() || (v.isTextual() && isInteger(v.asText().trim()))) {
            return integral(v);
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("expected an ISO-8601 string or epoch milliseconds");
        }
        return IsoTimestamps.epochMillis(v.asText().trim()); // also +09:00 style offsets
    }

    /** Epoch millis as text: an optional minus and digits only. */
    private static boolean isInteger(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int date(JsonNode v) {
        return v.isNumber() ? Math.toIntExact(integral(v)) : Math.toIntExact(LocalDate.parse(v.asText().trim()).toEpochDay());
    }

    private static ByteBuffer exactDecimal(JsonNode v, Schema type, LogicalTypes.Decimal logical) {
        BigDecimal value = decimal(v).setScale(logical.getScale(), RoundingMode.UNNECESSARY);
        if (value.precision() > logical.getPrecision()) {
            throw new ArithmeticException("more than " + logical.getPrecision() + " digits");
        }
        return DECIMALS.toBytes(value, type, logical);
    }

    private static String describe(Schema type) {
        LogicalType l = type.getLogicalType();
        if (l instanceof LogicalTypes.Decimal d) {
            return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        return l != null ? l.getName() : type.getType().getName();
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
