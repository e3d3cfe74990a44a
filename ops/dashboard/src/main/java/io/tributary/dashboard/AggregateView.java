package io.tributary.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.schemas.dashboards.AggregateRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest row of every bucket and group of every aggregate topic, as the JDBC sink's tables hold
 * them: a record upserts its key's row, a tombstone deletes it. Records are Kafka Connect JSON with
 * schemas ({@link AggregateRows}); the key's fields besides the bucket start are the group columns,
 * the value's fields besides those and the row columns are the measures. Listeners get each batch
 * of changes, in topic order, after it is applied.
 */
public final class AggregateView {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(AggregateView.class);
    private final String topicPrefix;
    private final Map<String, Aggregate> aggregates = new TreeMap<>();
    private final List<Consumer<List<Change>>> listeners = new CopyOnWriteArrayList<>();

    /** One row changed: {@code row} is null when the row was deleted; with its aggregate's group columns and measures. */
    public record Change(String aggregate, JsonNode key, JsonNode row, List<String> groups, List<String> measures) {
    }

    private static final class Aggregate {
        final List<String> groups = new ArrayList<>();
        final List<String> measures = new ArrayList<>();
        final Map<String, JsonNode> rows = new TreeMap<>();
    }

    public AggregateView(String topicPrefix) {
        this.topicPrefix = topicPrefix;
    }

    public void onChanges(Consumer<List<Change>> listener) {
        listeners.add(listener);
    }

    /** The aggregate a topic holds: the topic name without the prefix. */
    public String aggregateOf(String topic) {
        return topic.substring(topicPrefix.length());
    }

    /** Applies records of the aggregate topics (topic, key bytes, value bytes or null) and tells the listeners. */
    public void apply(List<Record> records) {
        List<Change> changes = new ArrayList<>();
        synchronized (this) {
            for (Record r : records) {
                try {
                    changes.add(applyOne(aggregateOf(r.topic()), payload(r.key()), r.value() == null ? null : payload(r.value())));
                } catch (UncheckedIOException e) {
                    // The page goes on with the other rows; the log names the record to look at.
                    LOG.warn("Skipping a record of {} at offset {}: {}", r.topic(), r.offset(), e.getMessage());
                }
            }
        }
        if (!changes.isEmpty()) {
            listeners.forEach(l -> l.accept(changes));
        }
    }

    /** A record of an aggregate topic as read. */
    public record Record(String topic, long offset, byte[] key, byte[] value) {
    }

    private Change applyOne(String name, JsonNode key, JsonNode row) {
        Aggregate a = aggregates.computeIfAbsent(name, n -> new Aggregate());
        if (a.groups.isEmpty()) {
            key.fieldNames().forEachRemaining(f -> {
                if (!f.equals(AggregateRows.BUCKET_START)) {
                    a.groups.add(f);
                }
            });
        }
        if (row != null && a.measures.isEmpty()) {
            row.fieldNames().forEachRemaining(f -> {
                if (!key.has(f) && !AggregateRows.ROW_COLUMNS.contains(f)) {
                    a.measures.add(f);
                }
            });
        }
        if (row == null) {
            a.rows.remove(key.toString());
        } else {
            a.rows.put(key.toString(), row);
        }
        return new Change(name, key, row, List.copyOf(a.groups), List.copyOf(a.measures));
    }

    /** Every aggregate with its group columns, measures and rows (ordered by bucket start, then group). */
    public synchronized ObjectNode snapshot() {
        ObjectNode all = JSON.createObjectNode();
        aggregates.forEach((name, a) -> {
            ObjectNode o = all.putObject(name);
            a.groups.forEach(o.putArray("groups")::add);
            a.measures.forEach(o.putArray("measures")::add);
            ArrayNode rows = o.putArray("rows");
            a.rows.values().forEach(rows::add);
        });
        return all;
    }

    /** One aggregate's snapshot, or null when no row of it was seen. */
    public synchronized JsonNode snapshot(String name) {
        return aggregates.containsKey(name) ? snapshot().get(name) : null;
    }

    private static JsonNode payload(byte[] json) {
        try {
            JsonNode payload = JSON.readTree(json).get("payload");
            if (payload == null || !payload.isObject()) {
                throw new IOException("no payload object");
            }
            return payload;
        } catch (IOException e) {
            throw new UncheckedIOException("An aggregate record is not Kafka Connect JSON with schema: " + e.getMessage(), e);
        }
    }

    /** The changes as one push message: {"changes":[{"aggregate":..,"key":..,"row":..|null,"groups":[..],"measures":[..]}, ...]}. */
    public static String message(List<Change> changes) {
        ObjectNode m = JSON.createObjectNode();
        ArrayNode list = m.putArray("changes");
        for (Change c : changes) {
            ObjectNode o = list.addObject().put("aggregate", c.aggregate());
            o.set("key", c.key());
            o.set("row", c.row());
            c.groups().forEach(o.putArray("groups")::add);
            c.measures().forEach(o.putArray("measures")::add);
        }
        return m.toString();
    }
}
