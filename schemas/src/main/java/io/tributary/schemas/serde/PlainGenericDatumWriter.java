package io.tributary.schemas.serde;

import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.Encoder;

/**
 * Avro's generic writer, for records that hold logical-type values in their Avro representation
 * (timestamps as longs, decimals as bytes), as {@link AvroSerializer} documents. Same bytes, less
 * work per value: with no conversions registered, Avro's per-value conversion lookup always finds
 * none, so it is skipped; and a {@code [null, T]} union (every optional column) is resolved by the
 * null test instead of by looking the datum's type name up among the branches.
 */
final class PlainGenericDatumWriter<D> extends GenericDatumWriter<D> {
    private PlainGenericDatumWriter(Schema schema, GenericData data) {
        super(schema, data);
    }

    /** The plain writer when {@code data} has no conversions, else Avro's own (which applies them). */
    static <D> GenericDatumWriter<D> of(Schema schema, GenericData data) {
        return data.getConversions().isEmpty() ? new PlainGenericDatumWriter<>(schema, data) : new GenericDatumWriter<>(schema, data);
    }

    @Override
    protected void write(Schema schema, Object datum, Encoder out) throws IOException {
        writeWithoutConversion(schema, datum, out);
    }

    @Override
    protected int resolveUnion(Schema union, Object datum) {
        List<Schema> branches = union.getTypes();
        if (branches.size() == 2) {
            int nullBranch = branches.get(0).getType() == Schema.Type.NULL ? 0
                    : branches.get(1).getType() == Schema.Type.NULL ? 1 : -1;
            if (nullBranch >= 0) {
                return datum == null ? nullBranch : 1 - nullBranch;
            }
        }
        return super.resolveUnion(union, datum);
    }
}
