package io.tributary.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pipeline's own counters, per table, so that {@code in = out + dead_lettered} can be checked
 * at any time (per table, summed over the app's instances), plus enrichment misses, fields that went
 * to {@code extra}, and the event-time lag of rows leaving for the lake. Names as Prometheus shows
 * them: tributary_records_in_total, tributary_records_out_total, tributary_records_dead_lettered_total,
 * tributary_enrichment_misses_total, tributary_unknown_fields_total, tributary_cdc_tombstones_total,
 * tributary_event_time_lag_seconds.
 */
public final class PipelineMetrics {
    private final MeterRegistry registry;
    private final DistributionSummary lag;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.lag = DistributionSummary.builder("tributary.event.time.lag")
                .description("Wall-clock time minus event time of rows written to lake topics")
                .baseUnit("seconds")
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .register(registry);
    }

    /** Metrics that go nowhere, for tests and tools that do not export them. */
    public static PipelineMetrics discarding() {
        return new PipelineMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void in(String table) {
        counter("tributary.records.in", "Records read", "table", table).increment();
    }

    public void out(String table, long eventTimeMillis) {
        counter("tributary.records.out", "Rows written to lake topics", "table", table).increment();
        lag.record(Math.max(0, System.currentTimeMillis() - eventTimeMillis) / 1000.0);
    }

    public void deadLettered(String table, String stage) {
        counters.computeIfAbsent("dead\u0000" + table + '\u0000' + stage, k -> Counter.builder("tributary.records.dead.lettered")
                .description("Records sent to the dead-letter topic").tags("table", table, "stage", stage).register(registry))
                .increment();
    }

    public void enrichmentMiss(String lookup) {
        counter("tributary.enrichment.misses", "Events with no master as of their event time", "lookup", lookup).increment();
    }

    public void unknownFields(String table, int n) {
        if (n > 0) {
            counter("tributary.unknown.fields", "Event fields not in the contract, kept in extra", "table", table).increment(n);
        }
    }

    public void tombstone(String table) {
        counter("tributary.cdc.tombstones", "Debezium delete tombstones skipped (not data)", "table", table).increment();
    }

    /** Counters are looked up once per name and tag value: registering on every record costs more than the work. */
    private Counter counter(String name, String description, String tag, String value) {
        return counters.computeIfAbsent(name + '\u0000' + value,
                k -> Counter.builder(name).description(description).tag(tag, value).register(registry));
    }
}
