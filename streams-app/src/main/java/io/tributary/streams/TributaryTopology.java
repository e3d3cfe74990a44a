package io.tributary.streams;

import io.tributary.schemas.contract.Contracts;
import io.tributary.streams.cdc.CdcProcessor;
import io.tributary.streams.config.Lookup;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.dlq.DeadLetterProcessor;
import io.tributary.streams.enrich.EnrichProcessor;
import io.tributary.streams.enrich.MasterHistory;
import io.tributary.streams.events.EventMapper;
import io.tributary.streams.events.EventProcessor;
import io.tributary.streams.events.PiiPolicy;
import io.tributary.streams.metrics.PipelineMetrics;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The pipeline as a pure function of its configuration; the app and the tests both call
 * {@link #build}.
 *
 * <pre>
 * events ──map──┬─ rows ─[per lookup: repartition by master key ─ enrich as of event time]─ lake.app_events
 *               └─ failed ─┐
 * cdc.<t> ──cdc─┬─ rows ───────────────────────────────────────────────────────────── lake.&lt;t&gt;
 *               ├─ master changes ─ repartition by master key ─ versioned history store
 *               └─ failed ─┴─ dead-letter topic (original bytes + headers), lake.dead_letters
 * </pre>
 */
public final class TributaryTopology {
    private TributaryTopology() {
    }

    public static Topology build(StreamsBuilder builder, PipelineConfig config, PipelineMetrics metrics) {
        LakeTopics topics = LakeTopics.of(config);
        requireLookupTablesAreCaptured(config, topics);
        for (Lookup lookup : config.lookups()) {
            builder.addStateStore(Stores.versionedKeyValueStoreBuilder(
                    Stores.persistentVersionedKeyValueStore(lookup.storeName(), config.historyRetention()),
                    Serdes.String(), Serdes.String()));
        }
        KStream<String, Outcome> failed = events(builder, config, topics, metrics);
        for (Map.Entry<String, String> cdc : topics.cdcTopicsByTable().entrySet()) {
            failed = failed.merge(changes(builder, config, topics, cdc.getKey(), cdc.getValue(), metrics),
                    Named.as("failed-" + cdc.getKey()));
        }
        failed.process(() -> new DeadLetterProcessor(metrics), Named.as("dead-letters"))
                .to(topics.deadLetters(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dead-letter-topic"));
        failed.mapValues(f -> ((Outcome.Failed) f).deadLetter().envelope(), Named.as("dead-letter-envelopes"))
                .to(topics.lakeDeadLetters(), Produced.with(Serdes.String(), topics.lakeValueSerde()).withName("lake-dead-letters"));
        return builder.build();
    }

    /** App events to the events lake topic; returns the failed ones. */
    private static KStream<String, Outcome> events(StreamsBuilder builder, PipelineConfig config, LakeTopics topics,
            PipelineMetrics metrics) {
        Schema contract = Contracts.schema(topics.eventsTable());
        Set<String> enriched = new HashSet<>();
        config.lookups().forEach(l -> enriched.addAll(l.columns().values()));
        for (String field : enriched) {
            if (contract.getField(field) == null) {
                throw new ConfigException(PipelineConfig.LOOKUPS, field, "enrichment target '" + field
                        + "' is not a field of the " + topics.eventsTable() + " contract");
            }
        }
        PiiPolicy pii = new PiiPolicy(Set.copyOf(config.piiDrop()), Set.copyOf(config.piiHash()), config.piiSalt().value());
        EventMapper mapper = new EventMapper(contract, enriched, config.eventTimeField(), config.eventKeyField(), pii,
                config.maxFutureMs());
        String table = topics.eventsTable();

        Map<String, KStream<String, Outcome>> branches = builder
                .stream(topics.events(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("events-in"))
                .process(() -> new EventProcessor(table, mapper, metrics), Named.as("events-map"))
                .split(Named.as("events-"))
                .branch((k, v) -> v instanceof Outcome.Failed, Branched.as("failed"))
                .defaultBranch(Branched.as("rows"));
        KStream<String, GenericRecord> rows = branches.get("events-rows")
                .mapValues(v -> ((Outcome.Row) v).row(), Named.as("events-rows-unwrap"));
        for (Lookup lookup : config.lookups()) {
            rows = rows.selectKey((k, row) -> EnrichProcessor.partitionKey(lookup, row), Named.as("enrich-" + lookup.name() + "-key"))
                    .repartition(Repartitioned.with(Serdes.String(), topics.lakeValueSerde())
                            .withName("enrich-" + lookup.name()).withNumberOfPartitions(config.repartitionPartitions()))
                    .process(() -> new EnrichProcessor(lookup, config.historyRetention().toMillis(), metrics), Named.as("enrich-" + lookup.name()), lookup.storeName());
        }
        rows.process(() -> new LakeOutput(table, config.eventKeyField(), metrics), Named.as("events-out"))
                .to(topics.lake(table), Produced.with(Serdes.String(), topics.lakeValueSerde()).withName("lake-" + table));
        return branches.get("events-failed");
    }

    /** One CDC table to its lake topic and to the histories of the lookups that use it; returns the failed changes. */
    private static KStream<String, Outcome> changes(StreamsBuilder builder, PipelineConfig config, LakeTopics topics,
            String table, String topic, PipelineMetrics metrics) {
        List<Lookup> lookups = config.lookups().stream().filter(l -> l.table().equals(table)).toList();
        Map<String, KStream<String, Outcome>> branches = builder
                .stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("cdc-" + table + "-in"))
                .process(() -> new CdcProcessor(table, config.registryUrl(), config.lakeTopicPrefix(), lookups,
                        config.haltOnIncompatibleSchemaChange(), metrics), Named.as("cdc-" + table))
                .split(Named.as("cdc-" + table + "-"))
                .branch((k, v) -> v instanceof Outcome.Failed, Branched.as("failed"))
                .branch((k, v) -> v instanceof Outcome.MasterChange, Branched.as("masters"))
                .defaultBranch(Branched.as("rows"));
        branches.get("cdc-" + table + "-rows")
                .mapValues(v -> ((Outcome.Row) v).row(), Named.as("cdc-" + table + "-unwrap"))
                .process(() -> new LakeOutput(table, null, metrics), Named.as("cdc-" + table + "-out"))
                .to(topics.lake(table), Produced.with(Serdes.String(), topics.lakeValueSerde()).withName("lake-" + table));
        for (Lookup lookup : lookups) {
            branches.get("cdc-" + table + "-masters")
                    .filter((k, v) -> ((Outcome.MasterChange) v).lookup().equals(lookup.name()), Named.as("masters-" + lookup.name() + "-select"))
                    .mapValues(v -> ((Outcome.MasterChange) v).change(), Named.as("masters-" + lookup.name() + "-encode"))
                    .repartition(Repartitioned.with(Serdes.String(), Serdes.String())
                            .withName("masters-" + lookup.name()).withNumberOfPartitions(config.repartitionPartitions()))
                    .process(() -> new MasterHistory(lookup.storeName(), config.historyRetention().toMillis()), Named.as("masters-" + lookup.name() + "-history"),
                            lookup.storeName());
        }
        return branches.get("cdc-" + table + "-failed");
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
