package io.tributary.streams.cdc;

import java.util.Arrays;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The binlog position of the last change applied to each row of one CDC table. Debezium is
 * at-least-once: after its worker dies it re-sends the changes since its last offset flush, and a
 * re-sent change is at or below its row's last applied position. The positions live in a state
 * store whose changelog Kafka Streams writes in the same exactly-once transaction as the lake rows,
 * so they survive restarts and rebalances and never disagree with what reached the lake.
 *
 * <p>Several changes of a row can share a position: MariaDB (unless {@code binlog_legacy_event_pos}
 * is on) gives every event of a transaction the transaction's position, so an update and a delete
 * of one row in one transaction arrive with the same file, position and row number. The store
 * therefore keeps, with the position, the identity of each change applied at it: a change at the
 * stored position is new unless its identity is there, and it gets the next sequence number at that
 * position, which {@code _source_pos} carries so that the lake orders it after the earlier ones.
 *
 * <p>Snapshot reads always apply: an initial or incremental snapshot is asked for on purpose (to fill
 * a new table or to heal one), and its rows must reach the lake even where the lake already had the
 * row. Changes without a position (a connector that gives none) apply too: with nothing to compare,
 * dropping one could lose it.
 */
public final class AppliedPositions {
    /** What {@link #apply} returns for a change Debezium sent again. */
    public static final int RESENT = -1;

    private final KeyValueStore<String, String> store;

    AppliedPositions(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** The state store of a table's positions, which its {@link CdcProcessor} needs in the topology. */
    public static StoreBuilder<KeyValueStore<String, String>> store(String table) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName(table)), Serdes.String(), Serdes.String());
    }

    public static String storeName(String table) {
        return "cdc-positions-" + table;
    }

    /**
     * Records a new change and returns its sequence number among the row's changes at its position
     * (0 unless the source gave several the same position); {@link #RESENT} for a re-sent change.
     */
    int apply(ChangeEvent.Key key, ChangeEvent change) {
        if (key == null || change.position() == null) {
            return 0;
        }
        String position = change.position().toString();
        String stored = store.get(key.identity());
        int separator = stored == null ? -1 : stored.indexOf('|');
        int order = stored == null ? 1 : position.compareTo(stored.substring(0, separator));
        if (order > 0) {
            store.put(key.identity(), position + "|" + change.identity());
            return 0;
        }
        String[] identities = order == 0 ? stored.substring(separator + 1).split(",") : new String[0];
        boolean seen = Arrays.asList(identities).contains(change.identity());
        if (order == 0 && !seen) {
            store.put(key.identity(), stored + "," + change.identity());
            return identities.length;
        }
        return change.isSnapshotRead() ? identities.length : RESENT;
    }

    /**
     * The sequence number a change got when {@link #apply} recorded it (its index among the
     * identities stored at its position), 0 when the store holds another position for its row: the
     * {@code _source_pos} of a change that failed after de-duplication, for a replay that must name
     * the lake row an earlier code version wrote for it.
     */
    public static int appliedSequence(KeyValueStore<String, String> store, ChangeEvent.Key key, ChangeEvent change) {
        String stored = key == null || change.position() == null ? null : store.get(key.identity());
        int separator = stored == null ? -1 : stored.indexOf('|');
        if (separator < 0 || !stored.substring(0, separator).equals(change.position().toString())) {
            return 0;
        }
        int index = Arrays.asList(stored.substring(separator + 1).split(",")).indexOf(change.identity());
        return Math.max(index, 0);
    }
}
