package io.tributary.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline's own counters, per table, so that {@code in = out + dead_lettered + cdc_duplicates}
 * can be checked at any time (per table, summed over the app's instances), plus enrichment misses, fields that went
 * to {@code extra}, and the event-time lag of rows leaving for the lake. Names as Prometheus shows
 * them: tributary_records_in_total, tributary_records_out_total, tributary_records_dead_lettered_total,
 * tributary_enrichment_misses_total, tributary_unknown_fields_total, tributary_cdc_tombstones_total,
 * tributary_cdc_duplicates_total, tributary_master_history_skipped_total, tributary_event_time_lag_seconds,
 * tributary_streams_running, tributary_build_info, and per dashboard aggregate
 * tributary_dashboard_rows_counted_total, _duplicates_total, _late_dropped_total, _rows_skipped_total and
 * _updates_total.
 */
public final class PipelineMetrics {
    private final MeterRegistry registry;
    private final Timer lag;
    private final Map<String, Table> tables = new ConcurrentHashMap<>();
    private final Map<String, Counter> rareCounters = new ConcurrentHashMap<>();
    private final Map<String, AggregateCounters> aggregates = new ConcurrentHashMap<>();

    /**
     * Upper bounds (seconds) of the lag histogram's buckets: from 50 ms, where a healthy pipeline
     * sits (commit.interval.ms is 1 s), through the sink's 10 s flush, to 10 minutes; beyond that
     * only the count above 10 minutes matters (an outage or a replay).
     */
    public static final double[] LAG_BUCKETS_SECONDS = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600};

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Explicit buckets, no client-side percentiles: Prometheus computes quantiles from the buckets
        // (summed over instances, which per-instance percentiles cannot be), and the percentile
        // ring buffers cost more per row than the rest of the metrics together. Micrometer's default
        // histogram has 276 buckets starting at 1 s, which hides every sub-second lag.
        // A Timer, not a DistributionSummary: a summary rounds each value up to a whole number before
        // bucketing it, which would put every sub-second lag into the 1 s bucket.
        this.lag = Timer.builder("tributary.event.time.lag")
                .description("Wall-clock time minus event time of rows written to lake topics")
                .serviceLevelObjectives(java.util.Arrays.stream(LAG_BUCKETS_SECONDS)
                        .mapToObj(s -> Duration.ofMillis(Math.round(s * 1000))).toArray(Duration[]::new))
                .register(registry);
    }

    /** tributary_build_info{component, version} = 1: which build each instance runs. */
    public static void buildInfo(MeterRegistry registry, String component, String version) {
        Gauge.builder("tributary.build.info", () -> 1).description("The running build (always 1)")
                .tags("component", component, "version", version).strongReference(true).register(registry);
    }

    /**
     * tributary_streams_running = 1 while the app is RUNNING, else 0 (starting, rebalancing, stopped,
     * failed): what an alert on "not RUNNING for minutes" reads; Kafka Streams' own state metric is a
     * string, which Prometheus cannot hold.
     */
    public static void running(MeterRegistry registry, java.util.function.BooleanSupplier running) {
        Gauge.builder("tributary.streams.running", () -> running.getAsBoolean() ? 1 : 0)
                .description("1 while both Kafka Streams apps are RUNNING, else 0").strongReference(true).register(registry);
    }

    /**
     * Registers a table's counters at zero, so that a rate or an alert on them exists before the
     * first dead letter (a counter that appears with its first increment shows no increase in
     * Prometheus' rate() for that increment): in, out, dead-lettered per stage, and the
     * table kind's own (unknown fields for the events table, duplicates and tombstones for CDC
     * tables, history skips for master tables).
     */
    public Table expect(String table, List<String> deadLetterStages) {
        Table counters = table(table);
        deadLetterStages.forEach(stage -> deadLetteredCounter(table, stage));
        return counters;
    }

    /** Registers an enrichment lookup's miss counter at zero. */
    public void expectLookup(String lookup) {
        missCounter(lookup);
    }

    /** Metrics that go nowhere, for tests and tools that do not export them. */
    public static PipelineMetrics discarding() {
        return new PipelineMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * The counters of one table, registered once: processors hold it, because looking a counter up
     * by name and tag on every record cost as much as the counting.
     */
    public Table table(String table) {
        return tables.computeIfAbsent(table, Table::new);
    }

    /**
     * The counters of one dashboard aggregate, all registered at once when the topology is built, so that
     * an alert on late drops sees 0 before the first one.
     */
    public AggregateCounters aggregate(String aggregate) {
        return aggregates.computeIfAbsent(aggregate, AggregateCounters::new);
    }

    /** Counted per lookup; looked up when it happens (misses are the exception). */
    public void enrichmentMiss(String lookup) {
        missCounter(lookup).increment();
    }

    private Counter missCounter(String lookup) {
        return rare("tributary.enrichment.misses", "Events with no master as of their event time", "lookup", lookup);
    }

    /** Counted per table and stage; looked up when it happens (dead letters are the exception). */
    public void deadLettered(String table, String stage) {
        deadLetteredCounter(table, stage).increment();
    }

    private Counter deadLetteredCounter(String table, String stage) {
        return rare("tributary.records.dead.lettered", "Records sent to the dead-letter topic", "table", table, "stage", stage);
    }

    /**
     * A master change the events app's history store could not take (the global thread cannot
     * dead-letter; the changes app accounts for the same record in the master table's counts).
     */
    public void masterHistorySkipped(String table) {
        historySkipCounter(table).increment();
    }

    private Counter historySkipCounter(String table) {
        return rare("tributary.master.history.skipped", "Master changes left out of the enrichment history", "table", table);
    }

    /** A counter looked up by name and tags (key-value pairs) each time it is counted. */
    private Counter rare(String name, String description, String... tags) {
        return rareCounters.computeIfAbsent(name + '\u0000' + String.join("\u0000", tags),
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    /** One table's record counters; those only some tables have are registered by expect* or when first counted. */
    public final class Table {
        private final String table;
        private final Counter in;
        private final Counter out;
        /** Registered at the first unknown field (a benign race: the registry hands both threads the same counter). */
        private Counter unknownFields;

        private Table(String table) {
            this.table = table;
            in = Counter.builder("tributary.records.in").description("Records read").tag("table", table).register(registry);
            out = Counter.builder("tributary.records.out").description("Rows written to lake topics").tag("table", table)
                    .register(registry);
        }

        /**
         * A record read, counted by the processor that read it once the record has gone its way (its
         * row or dead letter sent on): an attempt that a failure of the producer interrupts (the
         * broker refused an earlier row, and the thread restarts from its last commit) then counts
         * neither its input nor an outcome, and the replay counts both, so that in = out +
         * dead-lettered holds over attempts. A record whose reader itself failed is counted by the
         * processing exception handler that dead-letters it.
         */
        public void in() {
            in.increment();
        }

        public void out(long eventTimeMillis) {
            out.increment();
            lag.record(Math.max(0, System.currentTimeMillis() - eventTimeMillis), TimeUnit.MILLISECONDS);
        }

        /** Registers the events table's unknown-fields counter at zero. */
        public Table expectUnknownFields() {
            unknownFieldsCounter();
            return this;
        }

        /** Registers a CDC table's duplicate and tombstone counters at zero. */
        public Table expectCdc() {
            duplicatesCounter();
            tombstonesCounter();
            return this;
        }

        /** Registers a master table's history-skip counter at zero. */
        public Table expectMasterHistory() {
            historySkipCounter(table);
            return this;
        }

        public void unknownFields(int n) {
            if (n > 0) {
                unknownFieldsCounter().increment(n);
            }
        }

        private Counter unknownFieldsCounter() {
            if (unknownFields == null) {
                unknownFields = rare("tributary.unknown.fields", "Event fields not in the contract, kept in extra", "table", table);
            }
            return unknownFields;
        }

        /** A CDC change Debezium sent again (at or below its row's last applied binlog position), dropped. */
        public void duplicate() {
            duplicatesCounter().increment();
        }

        public void tombstone() {
            tombstonesCounter().increment();
        }

        private Counter duplicatesCounter() {
            return rare("tributary.cdc.duplicates", "CDC changes re-sent by Debezium after a restart, dropped", "table", table);
        }

        private Counter tombstonesCounter() {
            return rare("tributary.cdc.tombstones", "Debezium delete tombstones skipped (not data)", "table", table);
        }
    }

    /**
     * What happened to the rows an aggregate read: counted, a replayed event (its id already counted in
     * its bucket), too late (its bucket closed), or skipped (no time to bucket it by); and how many rows
     * were sent on. Rows read = counted + duplicates + late dropped + skipped.
     */
    public final class AggregateCounters {
        private final Counter counted;
        private final Counter duplicates;
        private final Counter late;
        private final Counter skipped;
        private final Counter emitted;

        private AggregateCounters(String aggregate) {
            counted = counter("tributary.dashboard.rows.counted", "Lake rows counted into a dashboard aggregate", aggregate);
            duplicates = counter("tributary.dashboard.duplicates", "Events already counted in their bucket (replays), ignored", aggregate);
            late = counter("tributary.dashboard.late.dropped", "Events whose bucket had closed (end + grace), not counted", aggregate);
            skipped = counter("tributary.dashboard.rows.skipped", "Rows without a value in the aggregate's time column", aggregate);
            emitted = counter("tributary.dashboard.updates", "Aggregate rows sent to the aggregate's topic", aggregate);
        }

        private Counter counter(String name, String description, String aggregate) {
            return Counter.builder(name).description(description).tag("aggregate", aggregate).register(registry);
        }

        public void counted() {
            counted.increment();
        }

        public void duplicate() {
            duplicates.increment();
        }

        public void lateDropped() {
            late.increment();
        }

        public void skipped() {
            skipped.increment();
        }

        public void emitted() {
            emitted.increment();
        }
    }
}
