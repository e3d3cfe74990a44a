package io.tributary.streams;

import io.tributary.schemas.contract.Contracts;
import io.tributary.streams.cdc.AppliedPositions;
import io.tributary.streams.cdc.CdcProcessor;
import io.tributary.streams.cdc.LakeSchemaEvolution;
import io.tributary.streams.config.Lookup;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.dlq.DeadLetterProcessor;
import io.tributary.streams.dlq.RefusedRows;
import io.tributary.streams.enrich.EnrichProcessor;
import io.tributary.streams.enrich.HistoryChanges;
import io.tributary.streams.enrich.MasterHistory;
import io.tributary.streams.enrich.SynchronizedVersionedStoreBuilder;
import io.tributary.streams.events.EventLimits;
import io.tributary.streams.events.EventMapper;
import io.tributary.streams.events.EventProcessor;
import io.tributary.streams.events.EventTimeWindow;
import io.tributary.streams.events.PiiPolicy;
import io.tributary.streams.metrics.PipelineMetrics;
import io.tributary.streams.pii.CdcPii;
import io.tributary.streams.pii.KeyedHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The pipeline as two pure functions of its configuration, one per Kafka Streams application; the
 * app and the tests call both. Kafka Streams lets a topic feed either a stream or a global store,
 * so the CDC topics of master tables are read twice: by the changes app for their lake rows, and
 * by the events app's global stores for enrichment, which then needs no repartitioning.
 *
 * <pre>
 * events app:
 *   events ──map──┬─ rows ─[per lookup: enrich as of event time]─ lake.app_events
 *                 └─ failed ─ dead-letter topic (original bytes + headers), lake.dead_letters
 *   cdc.&lt;master table&gt; ── global versioned history store (one per master table)
 * changes app:
 *   cdc.&lt;t&gt; ──cdc (drops re-sent changes: positions store)─┬─ rows ─[CDC PII]─ lake.&lt;t&gt;
 *                 └─ failed ─ dead-letter topic, lake.dead_letters
 * </pre>
 *
 * <p>Rows are serialized by a {@link LakeRowSerializer} (size limit, rows the broker refused, the
 * out count). What fails outside the processors (a record Kafka Streams will not create, a row
 * that cannot be serialized or sent) goes to the same dead-letter topic through Kafka Streams'
 * exception handlers ({@link io.tributary.streams.dlq.HandlerDeadLetters}).
 */
public final class TributaryTopology {
    /** Suffix of the changes app's application.id after the configured one (the events app's). */
    public static final String CHANGES_APP_SUFFIX = "-cdc";
    /** The processor that reads (and counts) the events. */
    public static final String EVENTS_READER = "events-map";

    private TributaryTopology() {
    }

    /** App events to the events lake table, enriched from the master tables' global history stores. */
    public static Topology events(StreamsBuilder builder, PipelineConfig config, PipelineMetrics metrics, RefusedRows refused) {
        LakeTopics topics = LakeTopics.of(config);
        requireLookupTablesAreCaptured(config, topics);
        KeyedHash keyedHash = new KeyedHash(config.piiSalt().value());
        CdcPii cdcPii = cdcPii(config, topics, keyedHash);
        Map<String, List<Lookup>> lookupsByTable = new LinkedHashMap<>();
        config.lookups().forEach(l -> lookupsByTable.computeIfAbsent(l.table(), t -> new ArrayList<>()).add(l));
        Map<String, HistoryChanges> changesByTable = new HashMap<>();
        lookupsByTable.forEach((table, lookups) -> builder.addGlobalStore(
                new SynchronizedVersionedStoreBuilder(Stores.versionedKeyValueStoreBuilder(
                        Stores.persistentVersionedKeyValueStore(MasterHistory.storeName(table), config.historyRetention()),
                        Serdes.String(), Serdes.String()).withLoggingDisabled(),
                        changesByTable.computeIfAbsent(table, t -> new HistoryChanges())),
                topics.cdcTopicsByTable().get(table),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("masters-" + table + "-in"),
                () -> new MasterHistory(table, lookups, config.historyRetention().toMillis(), cdcPii)));

        Schema contract = Contracts.schema(topics.eventsTable());
        Set<String> enriched = new HashSet<>();
        config.lookups().forEach(l -> enriched.addAll(l.columns().values()));
        for (String field : enriched) {
            if (contract.getField(field) == null) {
                throw new ConfigException(PipelineConfig.LOOKUPS, field, "enrichment target '" + field
                        + "' is not a field of the " + topics.eventsTable() + " contract");
            }
        }
        for (Lookup lookup : config.lookups()) {
            if (contract.getField(lookup.eventField()) == null) {
                throw new ConfigException("enrichment." + lookup.name() + ".event.field", lookup.eventField(),
                        "not a field of the " + topics.eventsTable() + " contract, so no event can carry the master key");
            }
        }
        if (!config.eventKeyField().isEmpty() && contract.getField(config.eventKeyField()) == null) {
            throw new ConfigException(PipelineConfig.EVENTS_KEY_FIELD, config.eventKeyField(),
                    "not a field of the " + topics.eventsTable() + " contract; name one, or leave it empty for unkeyed rows");
        }
        for (String key : List.of(PipelineConfig.PII_DROP, PipelineConfig.PII_HASH)) {
            for (String field : config.getList(key)) {
                if (enriched.contains(field)) {
                    throw new ConfigException(key, field, "filled by enrichment from a master table; protect the master "
                            + "column with " + PipelineConfig.CDC_PII_DROP + " or " + PipelineConfig.CDC_PII_HASH + " instead");
                }
            }
        }
        PiiPolicy pii = new PiiPolicy(Set.copyOf(config.piiDrop()), Set.copyOf(config.piiHash()), keyedHash);
        EventMapper mapper = new EventMapper(contract, enriched, config.eventTimeField(), config.eventKeyField(), pii,
                new EventLimits(config.maxEventBytes(), config.maxEventFields(), config.maxNameLength()),
                new EventTimeWindow(config.minEventTimeMs(), config.maxFutureMs()));
        String table = topics.eventsTable();

        Map<String, KStream<String, Outcome>> branches = builder
                .stream(topics.events(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("events-in"))
                .process(() -> new EventProcessor(table, mapper, metrics), Named.as(EVENTS_READER))
                .split(Named.as("events-"))
                .branch((k, v) -> v instanceof Outcome.Failed, Branched.as("failed"))
                .defaultBranch(Branched.as("rows"));
        KStream<String, GenericRecord> rows = branches.get("events-rows")
                .mapValues(v -> ((Outcome.Row) v).row(), Named.as("events-rows-unwrap"));
        for (Lookup lookup : config.lookups()) {
            HistoryChanges changes = changesByTable.get(lookup.table());
            rows = rows.process(() -> new EnrichProcessor(lookup, config.historyRetention().toMillis(), changes, metrics),
                    Named.as("enrich-" + lookup.name()));
        }
        int timePosition = mapper.timePosition();
        rows.to(topics.lake(table), Produced.with(Serdes.String(), lakeRows(topics, table, row -> (Long) row.get(timePosition),
                config, metrics, refused)).withName("lake-" + table));
        deadLetters(branches.get("events-failed"), topics, config, metrics);
        return builder.build();
    }

    /** Every CDC table to its lake table. */
    public static Topology changes(StreamsBuilder builder, PipelineConfig config, PipelineMetrics metrics, RefusedRows refused) {
        LakeTopics topics = LakeTopics.of(config);
        CdcPii pii = cdcPii(config, topics, new KeyedHash(config.piiSalt().value()));
        KStream<String, Outcome> failed = null;
        for (Map.Entry<String, String> cdc : topics.cdcTopicsByTable().entrySet()) {
            KStream<String, Outcome> tableFailed = changes(builder, config, topics, cdc.getKey(), cdc.getValue(), metrics, refused, pii);
            failed = failed == null ? tableFailed : failed.merge(tableFailed, Named.as("failed-" + cdc.getKey()));
        }
        if (failed != null) {
            deadLetters(failed, topics, config, metrics);
        }
        return builder.build();
    }

    private static CdcPii cdcPii(PipelineConfig config, LakeTopics topics, KeyedHash keyedHash) {
        return new CdcPii(config.cdcPiiDrop(), config.cdcPiiHash(), keyedHash, topics.cdcTopicsByTable().keySet());
    }

    /** The serde of a lake table's rows: the lake serde's deserializer, and the guarded, counting {@link LakeRowSerializer}. */
    private static org.apache.kafka.common.serialization.Serde<GenericRecord> lakeRows(LakeTopics topics, String table,
            ToLongFunction<GenericRecord> eventTime, PipelineConfig config, PipelineMetrics metrics, RefusedRows refused) {
        return Serdes.serdeFrom(new LakeRowSerializer(topics.lakeValueSerde().serializer(), metrics.table(table), eventTime,
                config.maxRowBytes(), refused), topics.lakeValueSerde().deserializer());
    }

    private static void deadLetters(KStream<String, Outcome> failed, LakeTopics topics, PipelineConfig config, PipelineMetrics metrics) {
        failed.process(() -> new DeadLetterProcessor(metrics, config.dlqMaxOriginalBytes()), Named.as("dead-letters"))
                .to(topics.deadLetters(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dead-letter-topic"));
        failed.mapValues(f -> ((Outcome.Failed) f).deadLetter().envelope(), Named.as("dead-letter-envelopes"))
                .to(topics.lakeDeadLetters(), Produced.with(Serdes.String(), topics.lakeValueSerde()).withName("lake-dead-letters"));
    }

    /** One CDC table to its lake topic; returns the failed changes. */
    private static KStream<String, Outcome> changes(StreamsBuilder builder, PipelineConfig config, LakeTopics topics,
            String table, String topic, PipelineMetrics metrics, RefusedRows refused, CdcPii pii) {
        List<Lookup> lookups = config.lookups().stream().filter(l -> l.table().equals(table)).toList();
        builder.addStateStore(AppliedPositions.store(table));
        Map<String, KStream<String, Outcome>> branches = builder
                .stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("cdc-" + table + "-in"))
                .process(() -> new CdcProcessor(table, config.registryUrl(), config.lakeTopicPrefix(), lookups,
                        config.haltOnIncompatibleSchemaChange(), metrics), Named.as(cdcReader(table)),
                        AppliedPositions.storeName(table))
                .split(Named.as("cdc-" + table + "-"))
                .branch((k, v) -> v instanceof Outcome.Failed, Branched.as("failed"))
                .defaultBranch(Branched.as("rows"));
        branches.get("cdc-" + table + "-rows")
                .mapValues(v -> pii.apply(table, ((Outcome.Row) v).row()), Named.as("cdc-" + table + "-unwrap"))
                .to(topics.lake(table), Produced.with(Serdes.String(), lakeRows(topics, table,
                        row -> (Long) row.get(LakeSchemaEvolution.SOURCE_TS), config, metrics, refused)).withName("lake-" + table));
        return branches.get("cdc-" + table + "-failed");
    }

    /** The processor that reads (and counts) the changes of a CDC table. */
    public static String cdcReader(String table) {
        return "cdc-" + table;
    }

    private static void requireLookupTablesAreCaptured(PipelineConfig config, LakeTopics topics) {
        for (Lookup lookup : config.lookups()) {
            if (!topics.cdcTopicsByTable().containsKey(lookup.table())) {
                throw new ConfigException("enrichment." + lookup.name() + ".table", lookup.table(),
                        "no topic of this table in " + PipelineConfig.CDC_TOPICS + " " + config.cdcTopics());
            }
        }
    }
}
