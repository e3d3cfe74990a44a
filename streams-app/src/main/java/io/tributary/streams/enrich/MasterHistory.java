package io.tributary.streams.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.VersionedKeyValueStore;

/**
 * Keeps the history of one lookup's masters in a versioned store, so events can be enriched as of
 * their event time. Each change is valid from its commit time, except snapshot reads of masters the
 * store does not know yet: those are valid from the beginning of time, so events older than the
 * snapshot still find them (when time 0 is beyond the store's history retention, from the oldest
 * time it still keeps). Deletes end a master's validity.
 */
public final class MasterHistory implements Processor<String, String, Void, Void> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String storeName;
    private final long historyRetentionMs;
    private VersionedKeyValueStore<String, String> store;
    private long maxSeen = Long.MIN_VALUE;

    public MasterHistory(String storeName, long historyRetentionMs) {
        this.storeName = storeName;
        this.historyRetentionMs = historyRetentionMs;
    }

    /** The repartitioned value of a master change: {"op": ..., "attributes": {...} | null}. */
    public static String encode(String op, ObjectNode attributes) {
        ObjectNode node = JSON.createObjectNode().put("op", op);
        node.set("attributes", attributes);
        return node.toString();
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, String> record) {
        JsonNode change = read(record.value());
        JsonNode attributes = change.get("attributes");
        if (attributes == null || attributes.isNull()) {
            store.delete(record.key(), record.timestamp());
            return;
        }
        maxSeen = Math.max(maxSeen, record.timestamp());
        String value = attributes.toString();
        boolean firstSight = "r".equals(change.path("op").asText()) && store.get(record.key()) == null;
        if (firstSight) {
            // As early as the store still accepts: the beginning of time, else the start of its history window.
            for (long from : new long[] {0L, maxSeen - historyRetentionMs + 1}) {
                if (from >= 0 && store.put(record.key(), value, from) != VersionedKeyValueStore.PUT_RETURN_CODE_NOT_PUT) {
                    return;
                }
            }
        }
        store.put(record.key(), value, record.timestamp());
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
