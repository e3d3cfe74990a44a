package io.tributary.cli.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.schemas.json.FlattenedLeaf;
import io.tributary.streams.cdc.SourcePosition;
import io.tributary.streams.replay.InProcessPipeline.Input;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * What makes a lake row the row of one source record, whatever code version wrote it: the event's
 * {@code event_id} for the events table; for a CDC table the row's primary key (the columns of the
 * Debezium key) and its binlog position {@code _source_pos} (with the sequence number of changes
 * sharing a position; a position written before that number existed counts as sequence 0), or,
 * without a position, its commit time and operation. A replay matches the rows it produced against
 * the rows in the lake by this identity to know which old rows it replaces.
 */
public interface RowIdentity {
    /** The identity of a lake row; null when it has none (such a row is never replaced, only carried). */
    String of(GenericRecord row);

    /** The identity of the row a source record would have had, for a record the replay dead-lettered; null if unreadable. */
    String ofInput(Input record);

    String EVENT_ID = "event_id";

    /** Rows of the events table, identified by {@value #EVENT_ID}. */
    static RowIdentity events() {
        return new RowIdentity() {
            @Override
            public String of(GenericRecord row) {
                Object id = row.get(EVENT_ID);
                return id == null ? null : id.toString();
            }

            @Override
            public String ofInput(Input record) {
                try {
                    FlattenedLeaf leaf = record.value() == null ? null : FlattenedLeaf.find(record.value(), EVENT_ID);
                    return leaf == null || leaf.text() == null ? null : leaf.text();
                } catch (IOException | RuntimeException e) {
                    return null; // not JSON: the live app could not have written a row for it either
                }
            }
        };
    }

    /** Rows of a CDC table whose Debezium key has the columns {@code keyColumns}. */
    static RowIdentity cdc(List<String> keyColumns) {
        return new Cdc(List.copyOf(keyColumns));
    }

    /** The key columns of a Debezium key ({@code {"schema":...,"payload":{"id":7}}}, or the payload alone). */
    static List<String> keyColumns(byte[] debeziumKey) throws IOException {
        List<String> columns = new ArrayList<>();
        for (Iterator<String> names = Cdc.payload(Cdc.JSON.readTree(debeziumKey)).fieldNames(); names.hasNext(); ) {
            columns.add(names.next());
        }
        return columns;
    }

    /** CDC identity: key values, then the normalized position (or commit time and operation). */
    record Cdc(List<String> keyColumns) implements RowIdentity {
        static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public String of(GenericRecord row) {
            StringBuilder id = new StringBuilder();
            for (String column : keyColumns) {
                if (row.getSchema().getField(column) == null) {
                    return null;
                }
                id.append(row.get(column)).append('\u0000');
            }
            Object pos = row.get("_source_pos");
            return pos != null ? id.append(normalized(pos.toString())).toString()
                    : id.append("ts:").append(row.get("_source_ts")).append(':').append(row.get("_op")).toString();
        }

        @Override
        public String ofInput(Input record) {
            try {
                JsonNode key = payload(JSON.readTree(record.key()));
                StringBuilder id = new StringBuilder();
                for (String column : keyColumns) {
                    id.append(key.path(column).asText()).append('\u0000');
                }
                JsonNode source = payload(JSON.readTree(record.value())).path("source");
                SourcePosition position = SourcePosition.of(source);
                return position != null ? id.append(position.sortable(0)).toString()
                        : id.append("ts:").append(source.path("ts_ms").asLong()).append(':')
                                .append(payload(JSON.readTree(record.value())).path("op").asText()).toString();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        static JsonNode payload(JsonNode envelope) {
            return envelope.has("payload") && envelope.has("schema") ? envelope.get("payload") : envelope;
        }

        /** {@code file-pos-row} from before the sequence number existed is sequence 0 of that position. */
        static String normalized(String position) {
            return position.chars().filter(c -> c == '-').count() == 2 ? position + "-00000" : position;
        }
    }
}
