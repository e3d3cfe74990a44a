package io.tributary.streams.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.streams.config.Lookup;
import io.tributary.streams.events.EventMapper;
import io.tributary.streams.metrics.PipelineMetrics;
import java.util.Map;
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
    private final Lookup lookup;
    private final long historyRetentionMs;
    private final PipelineMetrics metrics;
    private VersionedKeyValueStore<String, String> store;
    private ProcessorContext<String, GenericRecord> context;
    /** Parsed attributes by their JSON: masters are few and change rarely, events are many. */
    private final Map<String, JsonNode> parsed = new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
            return size() > 10_000;
        }
    };

    public EnrichProcessor(Lookup lookup, long historyRetentionMs, PipelineMetrics metrics) {
        this.lookup = lookup;
        this.historyRetentionMs = historyRetentionMs;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, GenericRecord> context) {
        this.context = context;
        this.store = context.getStateStore(MasterHistory.storeName(lookup.table()));
    }

    @Override
    public void process(Record<String, GenericRecord> record) {
        GenericRecord row = record.value();
        Object masterKey = row.get(lookup.eventField());
        VersionedRecord<String> master = masterKey == null ? null
                : asOf(MasterHistory.storeKey(lookup, masterKey.toString()), record.timestamp());
        if (master == null) {
            metrics.enrichmentMiss(lookup.name());
            String status = row.get(EventMapper.ENRICHMENT_STATUS).toString();
            String missing = "missing:" + lookup.name();
            row.put(EventMapper.ENRICHMENT_STATUS, "ok".equals(status) ? missing : status + "," + missing);
        } else {
            JsonNode attributes = parsed.computeIfAbsent(master.value(), MasterHistory::read);
            for (Map.Entry<String, String> c : lookup.columns().entrySet()) {
                JsonNode v = attributes.path(c.getKey());
                row.put(c.getValue(), v.isMissingNode() || v.isNull() ? null : v.asText());
            }
        }
        context.forward(record);
    }

    /**
     * The master valid at {@code time}. A versioned store cannot answer for times beyond its history
     * retention; there the current master is the best answer (see enrichment.history.retention.ms).
     */
    private VersionedRecord<String> asOf(String key, long time) {
        VersionedRecord<String> master = store.get(key, time);
        if (master != null) {
            return master;
        }
        VersionedRecord<String> latest = store.get(key);
        return latest != null && time < latest.timestamp() - historyRetentionMs ? latest : null;
    }
}
