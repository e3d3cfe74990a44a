package io.tributary.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;

/**
 * Writes generic records with a writer per schema node, built once per schema: the bytes of Avro's
 * {@link GenericDatumWriter}, for records that hold logical-type values in their Avro representation
 * (timestamps as longs, decimals as bytes), as {@link AvroSerializer} documents. Avro's writer
 * decides every value's type with a switch on its schema, checks for conversions and wraps each
 * level for error paths; here those are decided when the schema is compiled, and a {@code [null, T]}
 * union (every optional column) is resolved by the null test. A wrong value still fails, naming the
 * field.
 */
final class CompiledDatumWriter implements DatumWriter<IndexedRecord> {
    /** Writes one value of one schema node. */
    @FunctionalInterface
    private interface ValueWriter {
        void write(Object datum, Encoder out) throws IOException;
    }

    private final ValueWriter root;

    private CompiledDatumWriter(Schema schema, GenericData data) {
        this.root = new Compiler(data).compile(schema);
    }

    /** The compiled writer when {@code data} has no conversions to apply, else Avro's own (which applies them). */
    static DatumWriter<IndexedRecord> of(Schema schema, GenericData data) {
        return data.getConversions().isEmpty() ? new CompiledDatumWriter(schema, data) : new GenericDatumWriter<>(schema, data);
    }

    @Override
    public void setSchema(Schema schema) {
        throw new UnsupportedOperationException("a compiled writer writes the schema it was compiled for");
    }

    @Override
    public void write(IndexedRecord datum, Encoder out) throws IOException {
        root.write(datum, out);
    }

    /** Compiles the writers of one schema; each named record once. */
    private static final class Compiler {
        private final GenericData data;
        private final Map<String, ValueWriter> records = new HashMap<>();

        Compiler(GenericData data) {
            this.data = data;
        }

        ValueWriter compile(Schema schema) {
            return switch (schema.getType()) {
                case RECORD -> records.containsKey(schema.getFullName()) ? records.get(schema.getFullName()) : record(schema);
                case UNION -> union(schema);
                case ARRAY -> array(compile(schema.getElementType()));
                case MAP -> map(compile(schema.getValueType()));
                case STRING -> (datum, out) -> out.writeString((CharSequence) datum);
                case BYTES -> (datum, out) -> out.writeBytes((ByteBuffer) datum);
                case INT -> (datum, out) -> out.writeInt(((Number) datum).intValue());
                case LONG -> (datum, out) -> out.writeLong(((Number) datum).longValue());
                case FLOAT -> (datum, out) -> out.writeFloat(((Number) datum).floatValue());
                case DOUBLE -> (datum, out) -> out.writeDouble(((Number) datum).doubleValue());
                case BOOLEAN -> (datum, out) -> out.writeBoolean((Boolean) datum);
                case NULL -> (datum, out) -> out.writeNull();
                case FIXED -> (datum, out) -> out.writeFixed(((GenericFixed) datum).bytes(), 0, schema.getFixedSize());
                case ENUM -> (datum, out) -> {
                    if (!(datum instanceof GenericEnumSymbol<?> || datum instanceof Enum<?>)) { // what GenericData.isEnum accepts
                        throw new AvroTypeException("not an enum symbol of " + schema.getFullName() + ": " + datum);
                    }
                    out.writeEnum(schema.getEnumOrdinal(datum.toString()));
                };
            };
        }

        /** Registered before its fields are compiled, so that a record nested in itself refers to it. */
        private ValueWriter record(Schema schema) {
            List<Schema.Field> fields = schema.getFields();
            ValueWriter[] writers = new ValueWriter[fields.size()];
            ValueWriter writer = (datum, out) -> {
                IndexedRecord record = (IndexedRecord) datum;
                for (int i = 0; i < writers.length; i++) {
                    try {
                        writers[i].write(record.get(i), out);
                    } catch (NullPointerException | ClassCastException e) {
                        Schema.Field f = fields.get(i);
                        throw new AvroTypeException("field " + schema.getName() + "." + f.name() + " holds "
                                + describe(record.get(i)) + ", not a value of " + f.schema() + " (" + e.getMessage() + ")", e);
                    }
                }
            };
            records.put(schema.getFullName(), writer);
            for (Schema.Field f : fields) {
                writers[f.pos()] = compile(f.schema());
            }
            return writer;
        }

        private ValueWriter union(Schema schema) {
            List<Schema> branches = schema.getTypes();
            ValueWriter[] writers = branches.stream().map(this::compile).toArray(ValueWriter[]::new);
            Integer nullIndex = schema.getIndexNamed(Schema.Type.NULL.getName());
            if (branches.size() == 2 && nullIndex != null) {
                int nullBranch = nullIndex;
                int valueBranch = 1 - nullBranch;
                ValueWriter value = writers[valueBranch];
                return (datum, out) -> {
                    if (datum == null) {
                        out.writeIndex(nullBranch);
                        out.writeNull();
                    } else {
                        out.writeIndex(valueBranch);
                        value.write(datum, out);
                    }
                };
            }
            return (datum, out) -> {
                int branch = data.resolveUnion(schema, datum);
                out.writeIndex(branch);
                writers[branch].write(datum, out);
            };
        }
    }

    private static ValueWriter array(ValueWriter element) {
        return (datum, out) -> {
            Collection<?> items = (Collection<?>) datum;
            int size = items.size();
            out.writeArrayStart();
            out.setItemCount(size);
            int written = 0;
            for (Object item : items) {
                out.startItem();
                element.write(item, out);
                written++;
            }
            out.writeArrayEnd();
            if (written != size) {
                throw new AvroRuntimeException("the array changed while it was written: " + size + " items, " + written + " written");
            }
        };
    }

    private static ValueWriter map(ValueWriter value) {
        return (datum, out) -> {
            Map<?, ?> entries = (Map<?, ?>) datum;
            int size = entries.size();
            out.writeMapStart();
            out.setItemCount(size);
            int written = 0;
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                out.startItem();
                out.writeString(e.getKey().toString());
                value.write(e.getValue(), out);
                written++;
            }
            out.writeMapEnd();
            if (written != size) {
                throw new AvroRuntimeException("the map changed while it was written: " + size + " entries, " + written + " written");
            }
        };
    }

    private static String describe(Object value) {
        return value == null ? "null" : "a " + value.getClass().getSimpleName();
    }
}
