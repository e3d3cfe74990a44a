package io.tributary.cli.cdc;

import io.tributary.cli.common.CliError;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Debezium's {@code execute-snapshot} signal, written to the connector's signal table: an incremental
 * snapshot of one table, of the rows a filter selects or of all of them. Debezium reads it from the
 * binlog, snapshots the table in chunks without locks and sends the rows as {@code op = r} changes;
 * its notifications name the snapshot by the signal's id.
 */
final class SnapshotSignal {
    private SnapshotSignal() {
    }

    /**
     * Inserts the signal; returns its id.
     *
     * @param filter a SQL condition on the table's rows ({@code additional-conditions}), or null for the whole table
     */
    static String send(SourceDatabase database, String signalTable, String dataCollection, String filter) {
        String id = UUID.randomUUID().toString();
        try {
            database.signal(signalTable, id, "execute-snapshot", data(dataCollection, filter));
        } catch (SQLException e) {
            throw new CliError("Cannot write Debezium's signal to " + signalTable + ": " + e.getMessage() + ". The signal "
                    + "table must exist (connectors/config/README.md) and the database user needs INSERT on it");
        }
        return id;
    }

    static String data(String dataCollection, String filter) {
        String collection = json(dataCollection);
        String conditions = filter == null ? "" : ", \"additional-conditions\": [{\"data-collection\": \"" + collection
                + "\", \"filter\": \"" + json(filter) + "\"}]";
        return "{\"data-collections\": [\"" + collection + "\"], \"type\": \"incremental\"" + conditions + "}";
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
