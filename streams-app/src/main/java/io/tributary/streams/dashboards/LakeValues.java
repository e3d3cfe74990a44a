package io.tributary.streams.dashboards;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Values of lake rows as the aggregates use them: exact numbers (decimals from their bytes, doubles
 * by their exact binary value, so that a sum does not depend on the order of its terms) and text for
 * group keys and distinct counts. A column the row lacks (a CDC row written before it was added) is null.
 */
final class LakeValues {
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    /** Numeric column kinds; the output type of a sum, min or max follows its input's. */
    enum Numeric { INTEGER, FLOATING, DECIMAL }

    private LakeValues() {
    }

    static Schema nonNull(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            return schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(schema);
        }
        return schema;
    }

    /** The kind of a numeric column, null for any other. */
    static Numeric numericKind(Schema type) {
        return switch (type.getType()) {
            case INT, LONG -> type.getLogicalType() == null ? Numeric.INTEGER : null;
            case FLOAT, DOUBLE -> Numeric.FLOATING;
            case BYTES, FIXED -> type.getLogicalType() instanceof LogicalTypes.Decimal ? Numeric.DECIMAL : null;
            default -> null;
        };
    }

    /** The scale of a decimal column (0 for others). */
    static int scale(Schema type) {
        return type.getLogicalType() instanceof LogicalTypes.Decimal d ? d.getScale() : 0;
    }

    /** A column's value as an exact number; null when null or absent. Infinite doubles cannot be summed: an error. */
    static BigDecimal number(GenericRecord row, String column) {
        Schema.Field field = row.getSchema().getField(column);
        Object v = field == null ? null : row.get(field.pos());
        if (v == null) {
            return null;
        }
        if (v instanceof ByteBuffer bytes) {
            Schema type = nonNull(field.schema());
            LogicalType decimal = type.getLogicalType();
            return DECIMALS.fromBytes(bytes.duplicate(), type, decimal);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("column " + column + " is " + d + ", which no sum can hold");
            }
            return new BigDecimal(d);
        }
        return BigDecimal.valueOf(((Number) v).longValue());
    }

    /** A column's value as text (numbers as written, decimals with their scale); null when null or absent. */
    static String text(GenericRecord row, String column) {
        Schema.Field field = row.getSchema().getField(column);
        Object v = field == null ? null : row.get(field.pos());
        if (v == null) {
            return null;
        }
        return v instanceof ByteBuffer ? number(row, column).toPlainString() : v.toString();
    }

    /** A timestamp-millis column's value, null when null or absent. */
    static Long millis(GenericRecord row, String column) {
        Schema.Field field = row.getSchema().getField(column);
        Object v = field == null ? null : row.get(field.pos());
        return v == null ? null : ((Number) v).longValue();
    }
}
