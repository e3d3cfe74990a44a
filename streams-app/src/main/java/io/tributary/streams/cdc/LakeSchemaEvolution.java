package io.tributary.streams.cdc;

import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.lake.LakeNames;
import io.tributary.schemas.registry.CompatibilityLevel;
import io.tributary.schemas.registry.SchemaCompatibilityChecker;
import io.tributary.schemas.registry.SchemaRegistryClient;
import io.tributary.schemas.registry.SchemaRegistryException;
import io.tributary.streams.dlq.RecordFailure;
import io.tributary.streams.events.ValueCoercion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The lake schema of each CDC table, and how it follows the source table. A table starts from the
 * latest schema registered for its lake topic, else its contract, else the first change event's
 * columns. A new column is appended as nullable (so ALTER TABLE ... ADD COLUMN reaches the lake with
 * no code change); a column whose type widens by Avro promotion widens. A dropped or renamed column,
 * or any other type change, is incompatible: a {@link RecordFailure} naming the table and column.
 */
public final class LakeSchemaEvolution {
    public static final String OP = "_op";
    public static final String SOURCE_TS = "_source_ts";
    public static final String DELETED = "_deleted";
    public static final String SOURCE_POS = "_source_pos";
    static final Set<String> ENVELOPE = Set.of(OP, SOURCE_TS, DELETED, SOURCE_POS);
    /**
     * Field property: commit time of the first change that carried an added column. Older changes
     * lack the column legitimately (a replay), newer ones only if it was dropped.
     */
    static final String ADDED_AT = "tributary.added.source.ts";

    private final SchemaRegistryClient registry;
    private final String lakeTopicPrefix;
    private final Map<String, Schema> current = new HashMap<>();

    public LakeSchemaEvolution(SchemaRegistryClient registry, String lakeTopicPrefix) {
        this.registry = registry;
        this.lakeTopicPrefix = lakeTopicPrefix;
    }

    /** The lake schema that holds this change: the current one, or the current one evolved. */
    public Schema schemaFor(ChangeEvent change) {
        Schema base = current.computeIfAbsent(change.table(), this::initial);
        if (base == null) {
            base = build(change.table(), null, derivedColumns(change));
            current.put(change.table(), base);
            return base;
        }
        Map<String, String> byLakeName = lakeNames(change);
        List<Schema.Field> columns = new ArrayList<>();
        // A lake schema registered before an envelope field existed gains it (appended, nullable).
        boolean changed = !hasEnvelope(base);
        for (Schema.Field f : base.getFields()) {
            if (ENVELOPE.contains(f.name())) {
                continue;
            }
            String sourceColumn = byLakeName.remove(f.name());
            if (sourceColumn == null) {
                if (change.sourceTs() <= addedAt(f)) {
                    columns.add(copy(f, f.schema())); // a change from before the column was added (a replay): null
                    continue;
                }
                throw incompatible(change.table(), "column " + f.name() + " is in the lake schema but no longer in the source "
                        + "table (dropped or renamed)");
            }
            Schema lakeType = ValueCoercion.nonNull(f.schema());
            Schema sourceType = ConnectTypes.avroType(change.columns().get(sourceColumn));
            if (holds(lakeType, sourceType)) {
                columns.add(copy(f, f.schema()));
            } else if (promotes(lakeType, sourceType)) {
                columns.add(nullableField(f.name(), sourceType, f.doc()));
                changed = true;
            } else {
                throw incompatible(change.table(), "column " + f.name() + " changed type from " + describe(lakeType)
                        + " to " + describe(sourceType) + " (narrowing or incompatible change)");
            }
        }
        for (Map.Entry<String, String> added : byLakeName.entrySet()) {
            Schema.Field field = nullableField(added.getKey(), ConnectTypes.avroType(change.columns().get(added.getValue())),
                    "Column " + added.getValue() + " of the source table (added after the contract).");
            field.addProp(ADDED_AT, change.sourceTs());
            columns.add(field);
            changed = true;
        }
        if (!changed) {
            return base;
        }
        Schema evolved = build(change.table(), base, columns);
        List<String> problems = SchemaCompatibilityChecker.incompatibilities(CompatibilityLevel.BACKWARD, evolved, List.of(base));
        if (!problems.isEmpty()) {
            throw incompatible(change.table(), String.join("; ", problems));
        }
        current.put(change.table(), evolved);
        return evolved;
    }

    /** Lake column name to source column name, in table order. */
    static Map<String, String> lakeNames(ChangeEvent change) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String column : change.columns().keySet()) {
            String previous = out.put(lakeName(column), column);
            if (previous != null) {
                throw incompatible(change.table(), "columns " + previous + " and " + column
                        + " map to the same lake column " + lakeName(column));
            }
        }
        return out;
    }

    /** A column name as an Avro (and Athena) name: letters, digits and underscores. */
    public static String lakeName(String column) {
        String name = column.replaceAll("[^A-Za-z0-9_]", "_");
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    private Schema initial(String table) {
        try {
            return registry.latest(LakeNames.subject(lakeTopicPrefix, table)).schema();
        } catch (SchemaRegistryException e) {
            if (e.errorCode() != SchemaRegistryException.SUBJECT_NOT_FOUND) {
                throw e;
            }
        }
        return Contracts.PIPELINE_TABLES.contains(table) ? Contracts.schema(table) : null;
    }

    private static List<Schema.Field> derivedColumns(ChangeEvent change) {
        List<Schema.Field> fields = new ArrayList<>();
        lakeNames(change).forEach((lake, source) -> fields.add(nullableField(lake,
                ConnectTypes.avroType(change.columns().get(source)), "Column " + source + " of the source table.")));
        return fields;
    }

    private static Schema build(String table, Schema base, List<Schema.Field> columns) {
        Schema schema = base != null
                ? Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false)
                : Schema.createRecord(recordName(table), "Changelog of the source table " + table + ".", "io.tributary.lake", false);
        List<Schema.Field> fields = new ArrayList<>(columns);
        fields.add(new Schema.Field(OP, Schema.create(Schema.Type.STRING), "Debezium operation: c, u, d or r."));
        fields.add(new Schema.Field(SOURCE_TS, LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)),
                "Commit time of the change in the source database (UTC)."));
        fields.add(new Schema.Field(DELETED, Schema.create(Schema.Type.BOOLEAN), "True for deletes (before image)."));
        fields.add(nullableField(SOURCE_POS, Schema.create(Schema.Type.STRING),
                "Binlog position of the change (file index, position, row, number at that position; zero-padded, so it sorts)."));
        if (base != null) {
            for (int i = fields.size() - ENVELOPE.size(); i < fields.size(); i++) {
                Schema.Field contractField = base.getField(fields.get(i).name());
                if (contractField != null) {
                    fields.set(i, copy(contractField, contractField.schema()));
                }
            }
        }
        schema.setFields(fields);
        return schema;
    }

    private static String recordName(String table) {
        String name = lakeName(table);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static Schema.Field nullableField(String name, Schema type, String doc) {
        return new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL), type), doc, JsonProperties.NULL_VALUE);
    }

    private static Schema.Field copy(Schema.Field f, Schema schema) {
        Schema.Field copy = new Schema.Field(f.name(), schema, f.doc(), f.defaultVal());
        f.getObjectProps().forEach(copy::addProp);
        return copy;
    }

    private static boolean hasEnvelope(Schema schema) {
        return ENVELOPE.stream().allMatch(name -> schema.getField(name) != null);
    }

    /** When an added column first appeared; contract and first-event columns were always there. */
    private static long addedAt(Schema.Field f) {
        Object at = f.getObjectProp(ADDED_AT);
        return at instanceof Number n ? n.longValue() : Long.MIN_VALUE;
    }

    /** Lake values of this type can be written from the source type without a schema change. */
    static boolean holds(Schema lake, Schema source) {
        if (lake.getType() == source.getType() && Objects.equals(lake.getLogicalType(), source.getLogicalType())) {
            return true;
        }
        return isTimestamp(lake) && isTimestamp(source);
    }

    /** The lake column may widen to the source type (Avro promotion, so old files still read). */
    static boolean promotes(Schema lake, Schema source) {
        if (lake.getLogicalType() != null || source.getLogicalType() != null) {
            return false;
        }
        return switch (lake.getType()) {
            case INT -> Set.of(Schema.Type.LONG, Schema.Type.FLOAT, Schema.Type.DOUBLE).contains(source.getType());
            case LONG -> Set.of(Schema.Type.FLOAT, Schema.Type.DOUBLE).contains(source.getType());
            case FLOAT -> source.getType() == Schema.Type.DOUBLE;
            default -> false;
        };
    }

    private static boolean isTimestamp(Schema s) {
        return s.getLogicalType() instanceof LogicalTypes.TimestampMillis || s.getLogicalType() instanceof LogicalTypes.TimestampMicros;
    }

    private static String describe(Schema s) {
        return s.getLogicalType() instanceof LogicalTypes.Decimal d ? "decimal(" + d.getPrecision() + "," + d.getScale() + ")"
                : s.getLogicalType() != null ? s.getLogicalType().getName() : s.getType().getName();
    }

    private static RecordFailure incompatible(String table, String what) {
        return new RecordFailure(RecordFailure.CDC_SCHEMA, "incompatible schema change of table " + table + ": " + what);
    }
}
