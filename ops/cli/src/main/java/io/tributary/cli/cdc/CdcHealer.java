package io.tributary.cli.cdc;

import io.tributary.streams.cdc.SourcePosition;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Heals a divergence: keys the database has (missing from the lake, or different there) through a
 * Debezium incremental snapshot of exactly those keys, asked for through the connector's signal table
 * ({@code additional-conditions}); keys only the lake has through a delete row ({@link LakeDeletes}).
 * An incremental snapshot reads in chunks without table locks and its rows reach the lake as
 * {@code _op = r} with later binlog positions, so they become the keys' current rows.
 */
final class CdcHealer {
    /** Keys per signal: each becomes one incremental snapshot with an IN (...) condition. */
    private static final int KEYS_PER_SIGNAL = 500;

    private final SourceDatabase database;
    private final String signalTable;
    private final LakeDeletes deletes;

    CdcHealer(SourceDatabase database, String signalTable, LakeDeletes deletes) {
        this.database = database;
        this.signalTable = signalTable;
        this.deletes = deletes;
    }

    /** Asks for the snapshots and writes the deletes; returns one line per action. */
    List<String> heal(VerifiedTable t, Divergence d, LakeState lake, String lakeTopic) throws SQLException {
        List<String> done = new ArrayList<>();
        Set<String> snapshot = d.toSnapshot();
        if (!snapshot.isEmpty()) {
            if (t.key().size() != 1) {
                done.add("cannot snapshot single keys of " + t.dataCollection() + " (its primary key has "
                        + t.key().size() + " columns): re-snapshot the table through the signal table instead");
            } else {
                List<String> keys = new ArrayList<>(snapshot);
                for (int i = 0; i < keys.size(); i += KEYS_PER_SIGNAL) {
                    List<String> chunk = keys.subList(i, Math.min(keys.size(), i + KEYS_PER_SIGNAL));
                    SnapshotSignal.send(database, signalTable, t.dataCollection(), filter(t, chunk));
                }
                done.add("asked Debezium for an incremental snapshot of " + snapshot.size() + " keys of " + t.dataCollection()
                        + " (" + (keys.size() + KEYS_PER_SIGNAL - 1) / KEYS_PER_SIGNAL + " signals to " + signalTable + ")");
            }
        }
        if (!d.extra().isEmpty()) {
            String[] binlog = database.binlogPosition();
            int n = deletes.write(lake, t, d.extra(), lakeTopic, SourcePosition.of(binlog[0], Long.parseLong(binlog[1]), 0));
            done.add("wrote " + n + " delete rows to " + lakeTopic + " for keys the database deleted");
        }
        return done;
    }

    /** The condition of an incremental snapshot limited to the keys. */
    static String filter(VerifiedTable t, List<String> keys) {
        ComparedColumn key = t.key().get(0);
        String values = keys.stream().map(k -> t.ranges().numeric() ? k : "'" + k.replace("'", "''") + "'")
                .collect(Collectors.joining(","));
        return "`" + key.name() + "` IN (" + values + ")";
    }
}
