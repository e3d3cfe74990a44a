package io.tributary.cli.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.streams.replay.InProcessPipeline;
import io.tributary.streams.replay.InProcessPipeline.Input;
import io.tributary.streams.replay.InProcessPipeline.Output;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
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

    /** The columns {@link #of} reads: a replay reads only these of the lake's old rows to match them. */
    Set<String> columns();

    /**
     * The leaf of a source record that names its rows, whatever the code makes of the record (events:
     * {@value #EVENT_ID}); the source reads it with the record's time, in the same pass. Null when the
     * identity comes from the rows instead.
     */
    String sourceLeaf();

    /**
     * The identities of the lake rows that one source record accounts for, once {@code pipeline} has
     * processed it into {@code output}: those its rows have, or, for a record that became a dead letter,
     * the one its row had when an earlier code version accepted it (so the replay replaces that row).
     *
     * @param sourceId the text of the record's {@link #sourceLeaf}, as its source read it (null: none)
     */
    List<String> produced(Input record, String sourceId, Output output, InProcessPipeline pipeline);

    String EVENT_ID = "event_id";

    /**
     * Rows of the events table, identified by {@value #EVENT_ID}, read from the source record itself:
     * wherever the replay files its row (its event time may have moved it to another hour), the row the
     * live run wrote for it in the record's own hour is covered. A record that is not JSON, or has no
     * such leaf (or an array there), accounts for no row: the live app could not have written one.
     */
    static RowIdentity events() {
        return new RowIdentity() {
            @Override
            public String of(GenericRecord row) {
                Object id = row.get(EVENT_ID);
                return id == null ? null : id.toString();
            }

            @Override
            public Set<String> columns() {
                return Set.of(EVENT_ID);
            }

            @Override
            public String sourceLeaf() {
                return EVENT_ID;
            }

            @Override
            public List<String> produced(Input record, String sourceId, Output output, InProcessPipeline pipeline) {
                return sourceId == null ? List.of() : List.of(sourceId);
            }
        };
    }

    /**
     * Rows of a CDC table. The key columns are those of the first Debezium key the replay reads (every
     * key of a table has the same columns); until then no row has an identity.
     */
    static RowIdentity cdc() {
        return new Cdc();
    }

    /** The key columns of a Debezium key ({@code {"schema":...,"payload":{"id":7}}}, or the payload alone). */
    static List<String> keyColumns(byte[] debeziumKey) throws IOException {
        List<String> columns = new ArrayList<>();
        for (Iterator<String> names = Cdc.payload(Cdc.JSON.readTree(debeziumKey)).fieldNames(); names.hasNext(); ) {
            columns.add(names.next());
        }
        return columns;
    }

    /**
     * CDC identity: key values, then the normalized position (or commit time and operation). A CDC row's
     * time is its commit time, the same time the archive files its change under, so a change's row
     * stays in the change's hour and its identity is read from the row itself, with the sequence number
     * the de-duplication gave it. A re-sent change the de-duplication dropped, and a tombstone, account
     * for no row. A dead-lettered change accounts for key + the {@code _source_pos} the topology gave it
     * before it failed ({@link InProcessPipeline#sourcePosition}: the sequence number too, from the same
     * state, so the second change of a row at one position names its own old row, not the first's).
     */
    final class Cdc implements RowIdentity {
        static final ObjectMapper JSON = new ObjectMapper();

        private final AtomicReference<List<String>> keyColumns = new AtomicReference<>();

        @Override
        public String of(GenericRecord row) {
            List<String> columns = keyColumns.get();
            if (columns == null) {
                return null;
            }
            StringBuilder id = new StringBuilder();
            for (String column : columns) {
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
        public Set<String> columns() {
            Set<String> columns = new HashSet<>(List.of("_source_pos", "_source_ts", "_op"));
            List<String> key = keyColumns.get();
            if (key != null) {
                columns.addAll(key);
            }
            return columns;
        }

        @Override
        public String sourceLeaf() {
            return null;
        }

        @Override
        public List<String> produced(Input record, String sourceId, Output output, InProcessPipeline pipeline) {
            learnKey(record);
            if (!output.rows().isEmpty()) {
                List<String> ids = new ArrayList<>();
                for (InProcessPipeline.Row row : output.rows()) {
                    String id = of(row.row());
                    if (id != null) {
                        ids.add(id);
                    }
                }
                return ids;
            }
            if (output.deadLetters().isEmpty()) {
                return List.of();
            }
            String id = deadLettered(record, pipeline.sourcePosition(record));
            return id == null ? List.of() : List.of(id);
        }

        private void learnKey(Input record) {
            if (keyColumns.get() == null && record.key() != null) {
                try {
                    keyColumns.compareAndSet(null, keyColumns(record.key()));
                } catch (IOException | RuntimeException e) {
                    // not a Debezium key: the next record's
                }
            }
        }

        private String deadLettered(Input record, String sourcePos) {
            List<String> columns = keyColumns.get();
            if (columns == null || record.key() == null || record.value() == null) {
                return null;
            }
            try {
                JsonNode key = payload(JSON.readTree(record.key()));
                StringBuilder id = new StringBuilder();
                for (String column : columns) {
                    id.append(key.path(column).asText()).append('\u0000');
                }
                if (sourcePos != null) {
                    return id.append(sourcePos).toString();
                }
                JsonNode payload = payload(JSON.readTree(record.value()));
                return id.append("ts:").append(payload.path("source").path("ts_ms").asLong()).append(':')
                        .append(payload.path("op").asText()).toString();
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
