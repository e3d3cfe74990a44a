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
     */
    private final Map<String, Known> known = new HashMap<>();
    private long knownAtChange = -1;
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
     * The master valid at {@code time}. A versioned store cannot answer for times beyond its history
     * retention; there the current master is the best answer (see enrichment.history.retention.ms).
     */
    private VersionedRecord<String> asOf(String masterKey, long time) {
        long change = changes.count();
        if (change != knownAtChange) {
            known.clear();
            knownAtChange = change;
        }
        Known master = known.get(masterKey);
        if (master != null && master.current != null && time >= master.currentFrom) {
            return master.current;
        }
        String key = MasterHistory.storeKey(lookup, masterKey);
        VersionedRecord<String> version = store.get(key, time);
        if (version != null) {
            if (master == null) {
                master = know(masterKey, key);
            }
            if (version.timestamp() == master.currentVersion && time < master.currentFrom) {
                master.current = version;
                master.currentFrom = time;
            }
            return version;
        }
        VersionedRecord<String> latest = store.get(key);
        return latest != null && time < latest.timestamp() - historyRetentionMs ? latest : null;
    }

    private Known know(String masterKey, String key) {
        if (known.size() >= MAX_KNOWN_MASTERS) {
            known.clear();
        }
        VersionedRecord<String> latest = store.get(key);
        Known master = new Known(latest == null ? Long.MIN_VALUE : latest.timestamp());
        known.put(masterKey, master);
        return master;
    }

    /**
     * What the store said about one master while it was unchanged: which version is current, and
     * once an event asked for it, that version and the earliest time it was given for. The current
     * version has no end, so the store gives it for every later time too (and its retention
     * cut-off, which lies before that time, stays put). Older versions are not kept: the store's
     * answers do not say where their validity ends (Kafka Streams passes versioned gets through a
     * value-and-timestamp format that drops it).
     */
    private static final class Known {
        final long currentVersion;
        VersionedRecord<String> current;
        long currentFrom = Long.MAX_VALUE;

        Known(long currentVersion) {
            this.currentVersion = currentVersion;
        }
    }
}
