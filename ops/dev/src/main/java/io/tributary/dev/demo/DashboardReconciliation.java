package io.tributary.dev.demo;

import io.tributary.cli.dashboards.AggregateTable;
import io.tributary.cli.dashboards.LakeAggregateSql;
import io.tributary.cli.lake.LocalLake;
import io.tributary.devstack.postgres.PostgresServer;
import io.tributary.schemas.contract.CurrentState;
import io.tributary.schemas.dashboards.AggregateRows;
import io.tributary.streams.config.Aggregate;
import io.tributary.streams.config.DashboardSettings;
import io.tributary.streams.config.Measure;
import io.tributary.streams.dashboards.Bucketing;
import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

/**
 * The dashboards' reconciliation: each aggregate's PostgreSQL table (what BI tools read; the JDBC sink
 * upserts it) equals the same aggregate computed afresh over the lake with DuckDB, as
 * {@code tributary query} would, for the buckets since the run started: exact counts, sums, min and
 * max per bucket and group, approximate distinct counts within the sketch's error bound. The tables
 * trail the lake by a few commits, so each is read again until it agrees or the time is up.
 */
final class DashboardReconciliation {
    /** How long the PostgreSQL tables may take to catch up with what is in the lake. */
    static final Duration CATCH_UP = Duration.ofSeconds(90);

    private DashboardReconciliation() {
    }

    static void check(DemoRun run, LocalLake lake, Reconciliation checks, PrintWriter out) throws Exception {
        DashboardSettings dashboards = run.dashboards();
        if (dashboards.aggregates().isEmpty()) {
            return;
        }
        out.println();
        out.println("Dashboards: each PostgreSQL table against the same aggregate computed over the lake with DuckDB:");
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        try (Connection pg = PostgresServer.connect(run.stack())) {
            for (Aggregate a : dashboards.aggregates()) {
                long from = Bucketing.of(a).start(run.startedAt().toEpochMilli());
                List<String> key = a.idColumn() != null ? List.of() : CurrentState.key(a.table())
                        .orElseThrow(() -> new IllegalStateException(a.table() + " is neither the events table nor a CDC table"));
                AggregateTable inLake = AggregateTable.query(lake.connection(), a, LakeAggregateSql.of(a, dashboards.nullLabel(), key, from));
                String table = AggregateRows.tableName(dashboards.topic(a));
                List<String> differences = List.of("no rows in the lake since " + AggregateRows.time(from));
                while (!inLake.rows().isEmpty()) {
                    differences = AggregateTable.inPostgres(pg, a, table, from).differencesFrom(inLake, "PostgreSQL", "the lake");
                    if (differences.isEmpty() || System.nanoTime() > deadline) {
                        break;
                    }
                    Thread.sleep(1000);
                }
                checks.check("aggregate " + a.name() + ": table " + table + " equals the lake's " + inLake.rows().size()
                        + " rows since " + AggregateRows.time(from) + " (" + measures(a) + ")", differences);
            }
        }
    }

    private static String measures(Aggregate a) {
        return String.join(", ", a.measures().stream().map(m -> m.name()
                + (m.kind() == Measure.Kind.APPROX_DISTINCT ? " within 3 standard errors" : " exact")).toList());
    }
}
