package io.tributary.cli.athena;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The Athena (Hive DDL) type of each Avro type, as parquet-avro writes it and Athena/Trino read it:
 * timestamp-millis/micros are Parquet TIMESTAMP, so {@code timestamp}; decimals {@code decimal(p,s)};
 * dates {@code date}; records {@code struct<...>}; arrays and maps as such; nullable unions their
 * non-null branch (every Athena column is nullable).
 */
public final class AthenaTypes {
    private AthenaTypes() {
    }

    public static String of(Schema schema) {
        Schema s = nonNull(schema);
        LogicalType logical = s.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal d) {
            return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros
                || logical instanceof LogicalTypes.LocalTimestampMillis || logical instanceof LogicalTypes.LocalTimestampMicros) {
            return "timestamp";
        }
        if (logical instanceof LogicalTypes.Date) {
            return "date";
        }
        return switch (s.getType()) {
            case BOOLEAN -> "boolean";
            case INT -> "int";
            case LONG -> "bigint";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case STRING, ENUM -> "string";
            case BYTES, FIXED -> "binary";
            case ARRAY -> "array<" + of(s.getElementType()) + ">";
            case MAP -> "map<string," + of(s.getValueType()) + ">";
            case RECORD -> "struct<" + s.getFields().stream()
                    .map(f -> f.name().toLowerCase(Locale.ROOT) + ":" + of(f.schema())).collect(Collectors.joining(",")) + ">";
            default -> throw new IllegalArgumentException("No Athena type for Avro " + s);
        };
    }

    /** The non-null branch of a nullable union; a union of several non-null types has no Athena type. */
    static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> branches = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
        if (branches.size() != 1) {
            throw new IllegalArgumentException("A union of " + branches + " has no Athena type; lake contracts use "
                    + "[\"null\", T] only");
        }
        return branches.get(0);
    }
}
