package io.tributary.streams.enrich;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

/**
 * Builds a versioned store that one thread may update while others read it, as a global store is:
 * the global thread writes the master history while the stream threads look masters up. The
 * RocksDB versioned store is not safe for that on its own (a put moves the previous value into a
 * segment, and segments are created and dropped in a plain map), so every access takes the store's
 * lock. Lookups are many and uncontended; updates are few. Every write, and every (re)open, is
 * recorded in the {@link HistoryChanges} given, for readers that keep answers.
 */
public final class SynchronizedVersionedStoreBuilder implements StoreBuilder<VersionedKeyValueStore<String, String>> {
    private final StoreBuilder<VersionedKeyValueStore<String, String>> inner;
    private final HistoryChanges changes;

    public SynchronizedVersionedStoreBuilder(StoreBuilder<VersionedKeyValueStore<String, String>> inner, HistoryChanges changes) {
        this.inner = inner;
        this.changes = changes;
    }

    @Override
    public VersionedKeyValueStore<String, String> build() {
        return new Store(inner.build(), changes);
    }

    @Override
    public StoreBuilder<VersionedKeyValueStore<String, String>> withCachingEnabled() {
        throw new UnsupportedOperationException("versioned stores have no cache");
    }

    @Override
    public StoreBuilder<VersionedKeyValueStore<String, String>> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<VersionedKeyValueStore<String, String>> withLoggingEnabled(Map<String, String> config) {
        throw new UnsupportedOperationException("a global store is rebuilt from its source topic, it has no changelog");
    }

    @Override
    public StoreBuilder<VersionedKeyValueStore<String, String>> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }

    private static final class Store implements VersionedKeyValueStore<String, String> {
        private final VersionedKeyValueStore<String, String> inner;
        private final HistoryChanges changes;

        Store(VersionedKeyValueStore<String, String> inner, HistoryChanges changes) {
            this.inner = inner;
            this.changes = changes;
        }

        @Override
        public synchronized long put(String key, String value, long timestamp) {
            try {
                return inner.put(key, value, timestamp);
            } finally {
                changes.written(key);
            }
        }

        @Override
        public synchronized VersionedRecord<String> delete(String key, long timestamp) {
            try {
                return inner.delete(key, timestamp);
            } finally {
                changes.written(key);
            }
        }

        @Override
        public synchronized VersionedRecord<String> get(String key) {
            return inner.get(key);
        }

        @Override
        public synchronized VersionedRecord<String> get(String key, long asOfTimestamp) {
            return inner.get(key, asOfTimestamp);
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public synchronized void init(StateStoreContext context, StateStore root) {
            try {
                inner.init(context, root);
            } finally {
                changes.written(null);
            }
        }

        @Override
        public synchronized void flush() {
            inner.flush();
        }

        @Override
        public synchronized void commit(Map<TopicPartition, Long> changelogOffsets) {
            inner.commit(changelogOffsets);
        }

        @Override
        public synchronized Long committedOffset(TopicPartition partition) {
            return inner.committedOffset(partition);
        }

        @Override
        public boolean managesOffsets() {
            return inner.managesOffsets();
        }

        @Override
        public synchronized void close() {
            inner.close();
        }

        @Override
        public boolean persistent() {
            return inner.persistent();
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public synchronized <R> QueryResult<R> query(Query<R> query, PositionBound bound, QueryConfig config) {
            return inner.query(query, bound, config);
        }

        @Override
        public synchronized Position getPosition() {
            return inner.getPosition();
        }
    }
}
