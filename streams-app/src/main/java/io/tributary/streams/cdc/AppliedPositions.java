package io.tributary.streams.cdc;

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
 * <p>Snapshot reads always apply: an initial or incremental snapshot is asked for on purpose (to fill
 * a new table or to heal one), and its rows must reach the lake even where the lake already had the
 * row. Changes without a position (a connector that gives none) apply too: with nothing to compare,
 * dropping one could lose it.
 */
public final class AppliedPositions {
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

    /** Whether the change is new, recording its position when it is; false for a re-sent change. */
    boolean apply(ChangeEvent.Key key, ChangeEvent change) {
        if (key == null || change.position() == null) {
            return true;
        }
        String position = change.position().toString();
        String last = store.get(key.identity());
        boolean newer = last == null || position.compareTo(last) > 0;
        if (newer) {
            store.put(key.identity(), position);
        }
        return newer || change.isSnapshotRead();
    }
}
