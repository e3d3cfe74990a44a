package io.tributary.streams.dashboards;

import io.tributary.streams.config.Aggregate;
import io.tributary.streams.metrics.PipelineMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The totals of an event table's aggregate, per bucket and group (the input is keyed and partitioned
 * by them). Each event counts once: an event id already seen in its bucket and group is a replay
 * and adds nothing; an event whose bucket closed (its end plus the grace period is behind the task's
 * stream time) is dropped and counted, never silently. Changed totals are sent on as absolute values
 * every emit interval; closed buckets are purged, so the stores hold the open ones only.
 *
 * <p>All three stores are changelogged and restored together, in one exactly-once transaction with
 * the offsets: a crash between an update and its emission leaves the key in {@code dirty}, so it is
 * still sent after the restart (an in-memory set would lose it, and the row would stay stale).
 */
final class BucketAggregator implements Processor<String, Contribution, String, AggState> {
    private static final byte[] MARK = new byte[0];
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    private final Aggregate aggregate;
    private final Bucketing bucketing;
    private final PipelineMetrics.AggregateCounters counters;
    private final Duration emitEvery;
    private ProcessorContext<String, AggState> context;
    private KeyValueStore<String, AggState> totals;
    private KeyValueStore<String, byte[]> seen;
    private KeyValueStore<String, byte[]> dirty;

    BucketAggregator(Aggregate aggregate, Duration emitEvery, PipelineMetrics.AggregateCounters counters) {
        this.aggregate = aggregate;
        this.bucketing = Bucketing.of(aggregate);
        this.emitEvery = emitEvery;
        this.counters = counters;
    }

    static List<StoreBuilder<?>> stores(Aggregate aggregate) {
        // Totals and dirty keys change with every event of their bucket: cached, they reach RocksDB and
        // the changelog once a commit instead of once an event. A seen id is written once anyway.
        return List.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(totals(aggregate)), Serdes.String(), AggState.serde())
                        .withCachingEnabled(),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(seen(aggregate)), Serdes.String(), Serdes.ByteArray()),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(dirty(aggregate)), Serdes.String(), Serdes.ByteArray())
                        .withCachingEnabled());
    }

    static String[] storeNames(Aggregate aggregate) {
        return new String[] {totals(aggregate), seen(aggregate), dirty(aggregate)};
    }

    private static String totals(Aggregate a) {
        return "dash-" + a.name() + "-totals";
    }

    private static String seen(Aggregate a) {
        return "dash-" + a.name() + "-seen";
    }

    private static String dirty(Aggregate a) {
        return "dash-" + a.name() + "-dirty";
    }

    @Override
    public void init(ProcessorContext<String, AggState> context) {
        this.context = context;
        totals = context.getStateStore(totals(aggregate));
        seen = context.getStateStore(seen(aggregate));
        dirty = context.getStateStore(dirty(aggregate));
        context.schedule(emitEvery, PunctuationType.WALL_CLOCK_TIME, now -> emitChanged());
        context.schedule(PURGE_EVERY, PunctuationType.STREAM_TIME, this::purgeClosed);
    }

    @Override
    public void process(Record<String, Contribution> record) {
        String key = record.key();
        if (closed(BucketKey.startOf(key), context.currentStreamTimeMs())) {
            counters.lateDropped();
            return;
        }
        String seenKey = key + '\u0000' + record.value().id();
        if (seen.get(seenKey) != null) {
            counters.duplicate();
            return;
        }
        seen.put(seenKey, MARK);
        AggState state = totals.get(key);
        totals.put(key, (state == null ? AggState.empty(aggregate.measures().size()) : state).add(record.value(), aggregate.measures()));
        dirty.put(key, MARK);
        counters.counted();
    }

    /** A bucket is closed once stream time has passed its end by the grace period: late events no longer change it. */
    private boolean closed(long start, long streamTime) {
        return bucketing.end(start) + aggregate.graceMs() <= streamTime;
    }

    private void emitChanged() {
        List<String> sent = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = dirty.all()) {
            it.forEachRemaining(kv -> {
                emit(kv.key);
                sent.add(kv.key);
            });
        }
        sent.forEach(dirty::delete);
    }

    private void emit(String key) {
        context.forward(new Record<>(key, totals.get(key), BucketKey.startOf(key)));
    }

    /** Drops the totals and seen ids of closed buckets (after sending what changed), oldest first. */
    private void purgeClosed(long streamTime) {
        List<String> closedKeys = new ArrayList<>();
        try (KeyValueIterator<String, AggState> it = totals.all()) {
            while (it.hasNext()) {
                String key = it.next().key;
                if (!closed(BucketKey.startOf(key), streamTime)) {
                    break;
                }
                closedKeys.add(key);
            }
        }
        for (String key : closedKeys) {
            if (dirty.get(key) != null) {
                emit(key);
                dirty.delete(key);
            }
            totals.delete(key);
            deleteRange(key + '\u0000', key + '\u0001');
        }
    }

    private void deleteRange(String from, String to) {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = seen.range(from, to)) {
            it.forEachRemaining(kv -> ids.add(kv.key));
        }
        ids.forEach(seen::delete);
    }
}
