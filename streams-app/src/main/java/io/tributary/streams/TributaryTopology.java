package io.tributary.streams;

import io.tributary.streams.cdc.AppliedPositions;
import io.tributary.streams.cdc.CdcProcessor;
import io.tributary.streams.cdc.LakeSchemaEvolution;
import io.tributary.streams.config.LakeTopics;
import io.tributary.streams.config.Lookup;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.dashboards.DashboardTopology;
import io.tributary.streams.dlq.DeadLetterProcessor;
import io.tributary.streams.dlq.Outcome;
import io.tributary.streams.dlq.RefusedRows;
import io.tributary.streams.enrich.EnrichProcessor;
import io.tributary.streams.enrich.HistoryChanges;
import io.tributary.streams.enrich.MasterHistory;
import io.tributary.streams.enrich.SynchronizedVersionedStoreBuilder;
import io.tributary.streams.events.EventMapper;
import io.tributary.streams.events.EventProcessor;
import io.tributary.streams.metrics.InputReaders;
import io.tributary.streams.metrics.PipelineMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.avro.generic.GenericRecord;
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
 * The pipeline as pure functions of a validated {@link PipelinePlan}, one per Kafka Streams
 * application (events, changes, and the dashboard aggregates when configured); the app, replay and
 * the tests call them. Kafka Streams lets a topic feed either a stream or a global store,
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
 * aggregates app (dashboards.aggregates):
 *   lake.&lt;t&gt; ── buckets per group (events: each id once; CDC: current rows) ── dash.&lt;aggregate&gt;
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
    /** Suffix of the aggregates app's application.id: the live aggregates for dashboards. */
    public static final String DASHBOARDS_APP_SUFFIX = "-dash";

    private TributaryTopology() {
    }

    /** App events to the events lake table, enriched from the master tables' global history stores. */
    public static Topology events(StreamsBuilder builder, PipelinePlan plan, PipelineMetrics metrics, RefusedRows refused) {
        PipelineConfig config = plan.config();
        LakeTopics topics = plan.topics();
        Map<String, HistoryChanges> changesByTable = new HashMap<>();
        plan.lookupsByTable().forEach((table, lookups) -> builder.addGlobalStore(
                new SynchronizedVersionedStoreBuilder(Stores.versionedKeyValueStoreBuilder(
                        Stores.persistentVersionedKeyValueStore(MasterHistory.storeName(table), config.historyRetention()),
                        Serdes.String(), Serdes.String()).withLoggingDisabled(),
                        changesByTable.computeIfAbsent(table, t -> new HistoryChanges())),
                topics.cdcTopicsByTable().get(table),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("masters-" + table + "-in"),
                () -> new MasterHistory(table, lookups, config.historyRetention().toMillis(), plan.cdcPii())));

        EventMapper mapper = plan.eventMapper();
        String table = topics.eventsTable();
        Map<String, KStream<String, Outcome>> branches = builder
                .stream(topics.events(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("events-in"))
                .process(() -> new EventProcessor(table, mapper, metrics), Named.as(InputReaders.EVENTS))
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
    public static Topology changes(StreamsBuilder builder, PipelinePlan plan, PipelineMetrics metrics, RefusedRows refused) {
        KStream<String, Outcome> failed = null;
        for (Map.Entry<String, String> cdc : plan.topics().cdcTopicsByTable().entrySet()) {
            KStream<String, Outcome> tableFailed = changes(builder, plan, cdc.getKey(), cdc.getValue(), metrics, refused);
            failed = failed == null ? tableFailed : failed.merge(tableFailed, Named.as("failed-" + cdc.getKey()));
        }
        if (failed != null) {
            deadLetters(failed, plan.topics(), plan.config(), metrics);
        }
        return builder.build();
    }

    /**
     * The live aggregates for dashboards, from the lake topics (see {@link DashboardTopology}); only
     * when {@code plan.dashboards()} declares some.
     */
    public static Topology dashboards(StreamsBuilder builder, PipelinePlan plan, PipelineMetrics metrics) {
        return DashboardTopology.build(builder, plan.dashboards(), plan.topics(), metrics);
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
    private static KStream<String, Outcome> changes(StreamsBuilder builder, PipelinePlan plan, String table, String topic,
            PipelineMetrics metrics, RefusedRows refused) {
        PipelineConfig config = plan.config();
        LakeTopics topics = plan.topics();
        builder.addStateStore(AppliedPositions.store(table));
        Map<String, KStream<String, Outcome>> branches = builder
                .stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("cdc-" + table + "-in"))
                .process(() -> new CdcProcessor(table, config.registryConfigs(), config.lakeTopicPrefix(), plan.lookupsOf(table),
                        config.haltOnIncompatibleSchemaChange(), metrics), Named.as(InputReaders.cdc(table)),
                        AppliedPositions.storeName(table))
                .split(Named.as("cdc-" + table + "-"))
                .branch((k, v) -> v instanceof Outcome.Failed, Branched.as("failed"))
                .defaultBranch(Branched.as("rows"));
        branches.get("cdc-" + table + "-rows")
                .mapValues(v -> plan.cdcPii().apply(table, ((Outcome.Row) v).row()), Named.as("cdc-" + table + "-unwrap"))
                .to(topics.lake(table), Produced.with(Serdes.String(), lakeRows(topics, table,
                        row -> (Long) row.get(LakeSchemaEvolution.SOURCE_TS), config, metrics, refused)).withName("lake-" + table));
        return branches.get("cdc-" + table + "-failed");
    }
}
