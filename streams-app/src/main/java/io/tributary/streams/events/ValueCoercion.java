package io.tributary.streams.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.schemas.time.IsoTimestamps;
import io.tributary.streams.dlq.RecordFailure;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Converts one JSON value to the Avro representation of a contract type: numbers from numbers or
 * numeric strings, timestamps from ISO-8601 strings or epoch millis, anything to string. Nothing is
 * rounded or clipped: decimals are read from the JSON text exactly and must fit the declared
 * precision and scale, integers must fit their width, doubles must be in range (1e400 is not
 * Infinity). A failure names the field, the value unless it is PII, and a reason of our own (never
 * a library's message, which may quote the value).
 */
public final class ValueCoercion {
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    /** Why a value does not fit, in our words. */
    private static final class Unfit extends RuntimeException {
        Unfit(String reason) {
            super(reason, null, false, false);
        }
    }

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
                case STRING -> JsonFlattener.text(v);
                case BOOLEAN -> bool(v);
                case INT -> logical instanceof LogicalTypes.Date ? date(v) : toInt(integral(v));
                case LONG -> logical instanceof LogicalTypes.TimestampMillis ? timestampMillis(v)
                        : logical instanceof LogicalTypes.TimestampMicros ? Math.multiplyExact(timestampMillis(v), 1000L)
                        : integral(v);
                case DOUBLE -> toDouble(decimal(v));
                case FLOAT -> toFloat(decimal(v));
                case BYTES -> exactDecimal(v, type, (LogicalTypes.Decimal) logical);
                default -> throw new IllegalStateException("unsupported contract type " + type);
            };
        } catch (RuntimeException e) {
            String shown = sensitive ? "(value withheld: PII field)" : "'" + abbreviate(JsonFlattener.text(v)) + "'";
            String reason = e instanceof Unfit ? " (" + e.getMessage() + ")" : e instanceof ArithmeticException
                    ? " (out of range)" : "";
            throw new RecordFailure(RecordFailure.COERCE, "field " + field + ": " + shown + " is not a valid "
                    + describe(type) + reason, e);
        }
    }

    private static boolean bool(JsonNode v) {
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.textValue().equalsIgnoreCase("true") || v.textValue().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.textValue());
        }
        throw new Unfit("expected true or false");
    }

    private static int toInt(long value) {
        if (value != (int) value) {
            throw new Unfit("beyond the range of a 32-bit int");
        }
        return (int) value;
    }

    private static long integral(JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue(); // the common case, without BigDecimal
        }
        BigDecimal d = decimal(v).stripTrailingZeros();
        if (d.scale() > 0) {
            throw new Unfit("has a fraction");
        }
        if (d.precision() - d.scale() > 19 || d.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0
                || d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new Unfit("beyond the range of a 64-bit long");
        }
        return d.longValueExact();
    }

    /** The exact value of a number (its JSON text, as the flattener keeps it) or of a numeric string. */
    private static BigDecimal decimal(JsonNode v) {
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual()) {
            try {
                return new BigDecimal(v.textValue().trim());
            } catch (NumberFormatException e) {
                throw new Unfit("expected a number or a numeric string");
            }
        }
        throw new Unfit("expected a number or a numeric string");
    }

    /** The nearest double, refused when the value is beyond a double's range (Infinity, or 0 for a value that is not 0). */
    private static double toDouble(BigDecimal exact) {
        double d = exact.doubleValue();
        if (Double.isInfinite(d) || d == 0 && exact.signum() != 0) {
            throw new Unfit("beyond the range of a double");
        }
        return d;
    }

    private static float toFloat(BigDecimal exact) {
        float f = exact.floatValue();
        if (Float.isInfinite(f) || f == 0 && exact.signum() != 0) {
            throw new Unfit("beyond the range of a float");
        }
        return f;
    }

    private static long timestampMillis(JsonNode v) {
        if (v.isNumber() || (v.isTextual() && isInteger(v.textValue().trim()))) {
            return integral(v);
        }
        if (!v.isTextual()) {
            throw new Unfit("expected an ISO-8601 string or epoch milliseconds");
        }
        try {
            return IsoTimestamps.epochMillis(v.textValue().trim()); // also +09:00 style offsets
        } catch (DateTimeParseException e) {
            throw new Unfit("expected ISO-8601 with a zone offset (Z or ±HH:MM, at most ±18:00), or epoch milliseconds");
        }
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
        if (v.isNumber()) {
            return toInt(integral(v));
        }
        try {
            return toInt(LocalDate.parse(v.asText().trim()).toEpochDay());
        } catch (DateTimeParseException e) {
            throw new Unfit("expected yyyy-MM-dd or days since 1970-01-01");
        }
    }

    /**
     * The value at the declared scale, exactly: more decimal places than the scale, or more integer
     * digits than precision minus scale, is refused, never rounded. Checked before scaling, so a
     * value like 1e999999999 is refused at once instead of being expanded.
     */
    private static ByteBuffer exactDecimal(JsonNode v, Schema type, LogicalTypes.Decimal logical) {
        BigDecimal value = decimal(v).stripTrailingZeros();
        int integerDigits = logical.getPrecision() - logical.getScale();
        if (value.scale() > logical.getScale()) {
            throw new Unfit("more than " + logical.getScale() + " decimal places; it would have to be rounded");
        }
        if (value.signum() != 0 && value.precision() - value.scale() > integerDigits) {
            throw new Unfit("more than " + integerDigits + " digits before the decimal point");
        }
        return DECIMALS.toBytes(value.setScale(logical.getScale()), type, logical);
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
