package io.tributary.streams.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.streams.config.Lookup;
import io.tributary.streams.events.EventMapper;
import io.tributary.streams.metrics.PipelineMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

/**
 * Copies a master's columns into an event as they were at the event's time (the record timestamp).
 * A missing master is not an error: the columns stay null, the {@code _enrichment} status says
 * {@code missing:<lookup>}, and a metric counts it.
 */
public final class EnrichProcessor implements Processor<String, GenericRecord, String, GenericRecord> {
    private static final int MAX_KNOWN_MASTERS = 10_000;
    private final Lookup lookup;
    private final long historyRetentionMs;
    private final HistoryChanges changes;
    private final PipelineMetrics metrics;
    /**
     * What the store said per master key, while it is unchanged: a store get costs a RocksDB read
     * and a decode, and events mostly ask for the same masters at times their current version covers.
     * Keyed by the event's master key; the store's keys carry the lookup's {@link #keyPrefix}.
     */
    private final Map<String, Current> known = new HashMap<>();
    private long knownAtChange;
    private final String keyPrefix;
    private VersionedKeyValueStore<String, String> store;
    private ProcessorContext<String, GenericRecord> context;
    /**
     * The looked-up columns' values (in {@link #attributes} order) by the master's JSON: masters are
     * few and change rarely, events are many.
     */
    private final Map<String, String[]> parsed = new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String[]> eldest) {
            return size() > 10_000;
        }
    };
    private final String[] attributes;
    private Positions positions;

    /** Where this lookup reads and writes in rows of one schema (every events row has the contract's), found once. */
    private record Positions(Schema schema, int eventField, int status, int[] targets) {
        static Positions in(Schema schema, Lookup lookup) {
            return new Positions(schema, schema.getField(lookup.eventField()).pos(),
                    schema.getField(EventMapper.ENRICHMENT_STATUS).pos(),
                    lookup.columns().values().stream().mapToInt(target -> schema.getField(target).pos()).toArray());
        }
    }

    public EnrichProcessor(Lookup lookup, long historyRetentionMs, HistoryChanges changes, PipelineMetrics metrics) {
        this.lookup = lookup;
        this.historyRetentionMs = historyRetentionMs;
        this.changes = changes;
        this.metrics = metrics;
        this.attributes = lookup.columns().keySet().toArray(String[]::new);
        this.keyPrefix = MasterHistory.storeKey(lookup, "");
    }

    @Override
    public void init(ProcessorContext<String, GenericRecord> context) {
        this.context = context;
        this.store = context.getStateStore(MasterHistory.storeName(lookup.table()));
    }

    @Override
    public void process(Record<String, GenericRecord> record) {
        GenericRecord row = record.value();
        if (positions == null || positions.schema() != row.getSchema()) {
            positions = Positions.in(row.getSchema(), lookup);
        }
        Object masterKey = row.get(positions.eventField());
        VersionedRecord<String> master = masterKey == null ? null : asOf(masterKey.toString(), record.timestamp());
        if (master == null) {
            metrics.enrichmentMiss(lookup.name());
            String status = row.get(positions.status()).toString();
            String missing = "missing:" + lookup.name();
            row.put(positions.status(), "ok".equals(status) ? missing : status + "," + missing);
        } else {
            String[] values = parsed.computeIfAbsent(master.value(), this::values);
            for (int i = 0; i < values.length; i++) {
                row.put(positions.targets()[i], values[i]);
            }
        }
        context.forward(record);
    }

    private String[] values(String masterJson) {
        JsonNode master = MasterHistory.read(masterJson);
        String[] values = new String[attributes.length];
        for (int i = 0; i < attributes.length; i++) {
            JsonNode v = master.path(attributes[i]);
            values[i] = v.isMissingNode() || v.isNull() ? null : v.asText();
        }
        return values;
    }

    /**
     * The master valid at {@code time}. Events mostly come after their master's last change, so the
     * current version, read once and kept while that master is unchanged, answers them without a
     * store read; only events older than it ask the store for their time. A versioned store cannot
     * answer for times beyond its history retention; there the current master is the best answer
     * (see enrichment.history.retention.ms).
     */
    private VersionedRecord<String> asOf(String masterKey, long time) {
        forgetChanged();
        String key = null;
        Current master = known.get(masterKey);
        if (master == null) {
            key = MasterHistory.storeKey(lookup, masterKey);
            master = remember(masterKey, store.get(key));
        }
        VersionedRecord<String> current = master.version();
        if (current != null && time >= current.timestamp()) {
            return current; // the current version has no end: the store gives it for every later time
        }
        VersionedRecord<String> version = store.get(key == null ? MasterHistory.storeKey(lookup, masterKey) : key, time);
        if (version != null) {
            return version;
        }
        return current != null && time < current.timestamp() - historyRetentionMs ? current : null;
    }

    /** Drops what was kept for the masters written since the last look, or everything when that is not known. */
    private void forgetChanged() {
        if (changes.count() != knownAtChange) {
            knownAtChange = changes.changedSince(knownAtChange, key -> {
                if (key == null) {
                    known.clear();
                } else if (key.startsWith(keyPrefix)) {
                    known.remove(key.substring(keyPrefix.length()));
                }
            });
        }
    }

    private Current remember(String masterKey, VersionedRecord<String> latest) {
        if (known.size() >= MAX_KNOWN_MASTERS) {
            known.clear();
        }
        Current master = new Current(latest);
        known.put(masterKey, master);
        return master;
    }

    /**
     * A master's current version as the store gave it ({@code null}: none, or deleted), while that
     * master is unchanged. Older versions are not kept: the store's answers do not say where their
     * validity ends (Kafka Streams passes versioned gets through a value-and-timestamp format that
     * drops it).
     */
    private record Current(VersionedRecord<String> version) {
    }
}
