package io.tributary.streams.dashboards;

import io.tributary.streams.config.Aggregate;
import io.tributary.streams.config.DashboardSettings;
import io.tributary.streams.config.LakeTopics;
import io.tributary.streams.metrics.PipelineMetrics;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The aggregates app (application.id + {@code -dash}): the live aggregates for dashboards, computed
 * from the lake topics, i.e. from exactly the enriched, PII-protected rows that go to the lake (read
 * committed, so an aborted lake row is never counted), by event time. One compacted topic per
 * aggregate receives its rows as absolute values (see {@link ConnectRows}).
 *
 * <pre>
 * events table:  lake.&lt;t&gt; ─[bucket + group as key]─ repartition ─ totals (seen ids, grace) ─ every emit interval ─ dash.&lt;a&gt;
 * CDC table:     lake.&lt;t&gt; ─ current row per key (deletes remove it) ─ group by bucket + group ─ count/sum ─ dash.&lt;a&gt;
 * </pre>
 *
 * <p>For a CDC table the aggregate follows the table's current rows: an update takes the old row out
 * of its group and adds the new one (an amount moves from one status to another), a delete takes it
 * out, and a group that holds no row any more becomes a tombstone, which deletes the database row.
 */
public final class DashboardTopology {
    private DashboardTopology() {
    }

    /** Builds the aggregates of {@code settings} (checked by {@link AggregateChecks}) into {@code builder}. */
    public static Topology build(StreamsBuilder builder, DashboardSettings settings, LakeTopics topics, PipelineMetrics metrics) {
        Set<String> tables = new LinkedHashSet<>();
        settings.aggregates().forEach(a -> tables.add(a.table()));
        for (String table : tables) {
            KStream<String, GenericRecord> rows = builder.stream(topics.lake(table),
                    Consumed.with(Serdes.String(), topics.lakeValueSerde()).withName("dash-" + table + "-in"));
            for (Aggregate aggregate : settings.over(table)) {
                PipelineMetrics.AggregateCounters counters = metrics.aggregate(aggregate.name());
                KStream<String, AggState> totals = table.equals(topics.eventsTable())
                        ? events(builder, rows, aggregate, settings, counters)
                        : currentState(rows, aggregate, settings, counters);
                ConnectRows connectRows = new ConnectRows(aggregate);
                totals.processValues(() -> new ToRow(connectRows, counters), Named.as("dash-" + aggregate.name() + "-rows"))
                        .to(settings.topic(aggregate), Produced.with(connectRows.keySerde(), connectRows.valueSerde()).withName("dash-" + aggregate.name() + "-out"));
            }
        }
        return builder.build();
    }

    private static KStream<String, AggState> events(StreamsBuilder builder, KStream<String, GenericRecord> rows, Aggregate aggregate,
            DashboardSettings settings, PipelineMetrics.AggregateCounters counters) {
        String name = "dash-" + aggregate.name();
        BucketAggregator.stores(aggregate).forEach(builder::addStateStore);
        return rows.process(() -> new BucketContributions(aggregate, settings.nullLabel(), counters), Named.as(name + "-bucket"))
                .repartition(Repartitioned.with(Serdes.String(), Contribution.serde()).withName(name))
                .process(() -> new BucketAggregator(aggregate, Duration.ofMillis(settings.emitIntervalMs()), counters),
                        Named.as(name + "-totals"), BucketAggregator.storeNames(aggregate));
    }

    private static KStream<String, AggState> currentState(KStream<String, GenericRecord> rows, Aggregate aggregate,
            DashboardSettings settings, PipelineMetrics.AggregateCounters counters) {
        String name = "dash-" + aggregate.name();
        Bucketing bucketing = Bucketing.of(aggregate);
        return rows.mapValues(row -> placed(row, aggregate, bucketing, settings.nullLabel(), counters), Named.as(name + "-place"))
                .toTable(Named.as(name + "-current"), Materialized.<String, Placed, KeyValueStore<Bytes, byte[]>>as(name + "-current")
                        .withKeySerde(Serdes.String()).withValueSerde(Placed.serde()))
                .groupBy((rowKey, placed) -> KeyValue.pair(placed.bucketKey(), placed.contribution()),
                        Grouped.with(name + "-by-bucket", Serdes.String(), Contribution.serde()))
                .aggregate(() -> AggState.empty(aggregate.measures().size()),
                        (key, c, state) -> state.add(c, aggregate.measures()),
                        (key, c, state) -> state.subtract(c, aggregate.measures()),
                        Named.as(name + "-totals"),
                        Materialized.<String, AggState, KeyValueStore<Bytes, byte[]>>as(name + "-totals")
                                .withKeySerde(Serdes.String()).withValueSerde(AggState.serde()))
                .toStream(Named.as(name + "-changes"));
    }

    /** A CDC row's place and contribution; null (out of the aggregate) when deleted or without a time. */
    private static Placed placed(GenericRecord row, Aggregate aggregate, Bucketing bucketing, String nullLabel,
            PipelineMetrics.AggregateCounters counters) {
        if (row == null || Boolean.TRUE.equals(row.get("_deleted"))) {
            return null;
        }
        Long time = LakeValues.millis(row, aggregate.timeColumn());
        if (time == null) {
            counters.skipped();
            return null;
        }
        counters.counted();
        return new Placed(BucketContributions.key(aggregate, row, bucketing.start(time), nullLabel), Contribution.of(aggregate, row));
    }

    /** Totals to the row the sink upserts (a tombstone when the group is empty), timestamped with the bucket start. */
    private static final class ToRow implements FixedKeyProcessor<String, AggState, org.apache.kafka.connect.data.Struct> {
        private final ConnectRows rows;
        private final PipelineMetrics.AggregateCounters counters;
        private FixedKeyProcessorContext<String, org.apache.kafka.connect.data.Struct> context;

        ToRow(ConnectRows rows, PipelineMetrics.AggregateCounters counters) {
            this.rows = rows;
            this.counters = counters;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, org.apache.kafka.connect.data.Struct> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, AggState> record) {
            counters.emitted();
            // The bucket start as record time: the topic's time retention then keeps the newest buckets.
            context.forward(record.withValue(rows.value(record.key(), record.value(), System.currentTimeMillis()))
                    .withTimestamp(BucketKey.startOf(record.key())));
        }
    }
}
