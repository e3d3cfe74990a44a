package io.tributary.streams.cdc;

import io.tributary.streams.events.ValueCoercion;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Builds the lake changelog row of a change event in a given lake schema. */
public final class ChangeRows {
    private ChangeRows() {
    }

    /** {@code sequence}: the change's number among its row's changes at the same binlog position (usually 0). */
    public static GenericRecord row(ChangeEvent change, int sequence, Schema lakeSchema) {
        Map<String, String> sourceColumns = LakeSchemaEvolution.lakeNames(change);
        GenericRecord row = new GenericData.Record(lakeSchema);
        for (Schema.Field f : lakeSchema.getFields()) {
            if (LakeSchemaEvolution.ENVELOPE.contains(f.name())) {
                continue;
            }
            String column = sourceColumns.get(f.name());
            if (column == null) {
                continue; // added after this change was committed: null (LakeSchemaEvolution checked it)
            }
            row.put(f.name(), ConnectTypes.convert(column, change.row().get(column), change.columns().get(column),
                    ValueCoercion.nonNull(f.schema())));
        }
        row.put(LakeSchemaEvolution.OP, change.op());
        row.put(LakeSchemaEvolution.SOURCE_TS, change.sourceTs());
        row.put(LakeSchemaEvolution.DELETED, change.isDelete());
        row.put(LakeSchemaEvolution.SOURCE_POS, change.position() == null ? null : change.position().sortable(sequence));
        return row;
    }
}
