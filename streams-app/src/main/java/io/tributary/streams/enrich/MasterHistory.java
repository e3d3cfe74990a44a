package io.tributary.streams.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.streams.cdc.CdcPii;
import io.tributary.streams.cdc.ChangeEvent;
import io.tributary.streams.config.Lookup;
import io.tributary.streams.dlq.RecordFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.VersionedKeyValueStore;

/**
 * Keeps the history of one master table in a global versioned store, read straight from the
 * table's Debezium topic, so events can be enriched as of their event time. Each change is valid
 * from its commit time, except snapshot reads of masters the store does not know yet: those are
 * valid from the beginning of time, so events older than the snapshot still find them (when time 0
 * is beyond the store's history retention, from the oldest time it still keeps). Deletes end a
 * master's validity. The store holds one entry per lookup on the table, keyed by
 * {@link #storeKey}, with the lookup's columns as a JSON object.
 *
 * <p>Kafka Streams runs this processor also when it rebuilds the store from the topic, so the
 * rules above hold after a restore. A change that cannot be read fails here and is skipped by the
 * global thread's exception handler, which logs and counts it; a change without the lookup's key is
 * skipped silently. The changes app dead-letters both. A change the changes app dead-letters for
 * its lake schema (e.g. a renamed column) still updates the history: its values are valid source
 * data. Attributes the CDC PII policy drops or hashes are stored dropped or hashed, so enrichment
 * never copies a value the masters' lake table does not show.
 */
public final class MasterHistory implements Processor<byte[], byte[], Void, Void> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String table;
    private final List<Lookup> lookups;
    private final long historyRetentionMs;
    private final CdcPii pii;
    private VersionedKeyValueStore<String, String> store;
    private long maxSeen = Long.MIN_VALUE;

    public MasterHistory(String table, List<Lookup> lookups, long historyRetentionMs, CdcPii pii) {
        this.table = table;
        this.lookups = List.copyOf(lookups);
        this.historyRetentionMs = historyRetentionMs;
        this.pii = pii;
    }

    /** Name of the global store holding the history of the masters of {@code table}. */
    public static String storeName(String table) {
        return "masters-" + table;
    }

    /** Key of a master in its table's store: lookups on one table may key it by different columns. */
    public static String storeKey(Lookup lookup, String masterKey) {
        return lookup.name() + '\u0000' + masterKey;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(storeName(table));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return; // Debezium's delete tombstone: the delete itself came just before
        }
        ChangeEvent change = ChangeEvent.parse(record.value());
        if (change.sourceTs() < 0) {
            throw new RecordFailure(RecordFailure.CDC_PARSE, "the commit time (source.ts_ms) is before 1970");
        }
        if (!change.table().equals(table)) {
            return;
        }
        maxSeen = Math.max(maxSeen, change.sourceTs());
        for (Lookup lookup : lookups) {
            String masterKey = lookup.masterKey(change.row());
            if (masterKey != null) {
                apply(storeKey(lookup, masterKey), change, lookup);
            }
        }
    }

    private void apply(String key, ChangeEvent change, Lookup lookup) {
        if (change.isDelete()) {
            store.delete(key, change.sourceTs());
            return;
        }
        ObjectNode attributes = JSON.createObjectNode();
        for (String column : lookup.columns().keySet()) {
            JsonNode v = change.row().get(column);
            attributes.set(column, v == null ? attributes.nullNode() : pii.master(table, column, v));
        }
        String value = attributes.toString();
        if ("r".equals(change.op()) && store.get(key) == null) {
            // As early as the store still accepts: the beginning of time, else the start of its history window.
            for (long from : new long[] {0L, maxSeen - historyRetentionMs + 1}) {
                if (from >= 0 && store.put(key, value, from) != VersionedKeyValueStore.PUT_RETURN_CODE_NOT_PUT) {
                    return;
                }
            }
        }
        store.put(key, value, change.sourceTs());
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
