package io.tributary.dev.demo;

import io.tributary.cli.lake.LocalLake;
import io.tributary.schemas.contract.CurrentState;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo found in S3: rows per lake table and hour partition, enriched rows with the
 * display names, the dead letters, and whether the counts reconcile exactly with what was sent.
 */
public final class DemoReport {
    /** Events per hour (start, epoch millis) and display name: the line chart's query, in DuckDB's dialect. */
    public static final String DASHBOARD_SQL = "SELECT epoch_ms(event_time) // 3600000 * 3600000 AS hour, source_type_name, "
            + "count(*) AS events FROM app_events WHERE ${mine} GROUP BY 1, 2 ORDER BY 1, 2";

    private final DemoRun run;
    private final LocalLake lake;
    private final PrintWriter out;
    private final Reconciliation checks;

    public DemoReport(DemoRun run, LocalLake lake, PrintWriter out) {
        this.run = run;
        this.lake = lake;
        this.out = out;
        this.checks = new Reconciliation(lake, out);
    }

    /**
     * Prints the report; returns the reconciliation mismatches (empty when every count matches). The
     * pipeline must still run: the dashboard tables are read until they caught up with the lake.
     */
    public List<String> print() throws Exception {
        out.println();
        out.println("Lake tables in S3 (rows per hour partition):");
        List<String> views = CurrentState.tables().stream().map(CurrentState::currentView).toList();
        for (String table : lake.tables().stream().filter(t -> !views.contains(t)).toList()) {
            checks.query("SELECT dt, hour, count(*) FROM \"" + table + "\" GROUP BY dt, hour ORDER BY dt, hour",
                    r -> out.printf("  %-14s dt=%s/hour=%s  %,8d rows%n", table, r.getString(1), r.getString(2), r.getLong(3)));
        }
        String mine = "event_id LIKE '" + run.eventIdPrefix() + "%'";
        out.println();
        out.println("Enriched events: the source type's display name from MariaDB, as of each event's time:");
        checks.query("SELECT source_type_id, source_type_name, source_type_category, count(*), min(epoch_ms(event_time)), "
                + "max(epoch_ms(event_time)) FROM app_events WHERE " + mine + " GROUP BY ALL ORDER BY 1, 5",
                r -> out.printf("  source_type_id %d  %-10s %-8s %,6d events  %s .. %s%n", r.getLong(1), r.getString(2),
                        r.getString(3), r.getLong(4), time(r.getLong(5)), time(r.getLong(6))));
        out.println("  (master " + DemoRun.RENAMED_MASTER + " was renamed to " + DemoRun.NEW_NAME + " at "
                + run.renamedAt().truncatedTo(ChronoUnit.MILLIS) + ")");
        checks.query("SELECT event_id, epoch_ms(event_time), source_type_name, user_id, user_email, user_ip, request_path "
                + "FROM app_events WHERE " + mine + " ORDER BY event_time LIMIT 3",
                r -> out.printf("  e.g. %s %s %s user %s email=%s ip=%s… %s%n", r.getString(1), time(r.getLong(2)),
                        r.getString(3), r.getString(4), r.getString(5), abbreviate(r.getString(6)), r.getString(7)));

        long since = run.startedAt().truncatedTo(ChronoUnit.SECONDS).toEpochMilli();
        String deadLetters = "FROM dead_letters WHERE source_topic = '" + DemoRun.EVENTS_TOPIC
                + "' AND epoch_ms(source_timestamp) >= " + since;
        out.println();
        long dead = checks.count("SELECT count(*) " + deadLetters);
        out.printf("Dead letters from %s: %,d%n", DemoRun.EVENTS_TOPIC, dead);
        checks.query("SELECT stage, error_message " + deadLetters + " LIMIT 1",
                r -> out.printf("  e.g. stage=%s: %s%n", r.getString(1), r.getString(2)));

        out.println();
        out.println("Reconciliation (sent = in the lake + dead-lettered, each exactly once):");
        long events = checks.count("SELECT count(*) FROM app_events WHERE " + mine);
        long distinct = checks.count("SELECT count(DISTINCT event_id) FROM app_events WHERE " + mine);
        checks.check("events sent and acknowledged", run.sender().good() + run.sender().bad(), events + dead);
        checks.check("app_events rows, each event once", events, distinct);
        checks.check("broken events dead-lettered", run.sender().bad(), dead);
        checks.check("as-of names: events of master " + DemoRun.RENAMED_MASTER + " with the wrong name for their time", 0,
                checks.count("SELECT count(*) FROM app_events WHERE " + mine + " AND source_type_id = " + DemoRun.RENAMED_MASTER
                        + " AND (source_type_name = '" + DemoRun.NEW_NAME + "') <> (epoch_ms(event_time) > "
                        + run.renamedAt().toEpochMilli() + ")"));
        checkDashboard(mine);
        checks.check("transaction changes (insert, update, delete)", run.transactions().total(),
                checks.count("SELECT count(*) FROM transactions WHERE epoch_ms(_source_ts) >= " + since));
        for (Map.Entry<String, Long> op : run.transactions().byOp().entrySet()) {
            checks.check("transaction changelog rows with _op = '" + op.getKey() + "'" + ("d".equals(op.getKey()) ? " and _deleted" : ""),
                    op.getValue(), checks.count("SELECT count(*) FROM transactions WHERE epoch_ms(_source_ts) >= " + since
                            + " AND _op = '" + op.getKey() + "' AND _deleted = " + "d".equals(op.getKey())));
        }
        checks.check("masters changelog rows (5 seeded + 1 rename)", ShopDatabase.MASTERS.size() + 1,
                checks.count("SELECT count(*) FROM masters WHERE epoch_ms(_source_ts) >= " + since));
        DashboardReconciliation.check(run, lake, checks, out);

        FreshnessProbe freshness = run.freshness();
        out.println();
        out.printf("Freshness (event sent -> its row in an S3 object, %,d events, probed every %d ms): p50 %.1f s, p95 %.1f s, p99 %.1f s%n",
                freshness.measured(), freshness.medianPollGapMs(), freshness.percentile(50) / 1000.0, freshness.percentile(95) / 1000.0,
                freshness.percentile(99) / 1000.0);
        out.println();
        out.println("The Athena query behind a line chart of hourly events per source type:");
        out.println("  SELECT date_trunc('hour', event_time) AS hour, source_type_name, count(*) AS events");
        out.println("  FROM app_events WHERE dt >= '" + run.startedAt().toString().substring(0, 10) + "'");
        out.println("  GROUP BY 1, 2 ORDER BY 1, 2;");
        return checks.mismatches();
    }

    /**
     * The dashboard query (events per hour and display name) over the lake equals the same counts
     * computed from what was sent, with each event's display name as of its time.
     */
    private void checkDashboard(String mine) throws SQLException {
        Map<String, Long> expected = run.expectedEventsPerHourAndName();
        Map<String, Long> actual = new TreeMap<>();
        checks.query(DASHBOARD_SQL.replace("${mine}", mine), r -> actual.put(r.getLong(1) + "," + r.getString(2), r.getLong(3)));
        long differing = expected.keySet().stream().filter(k -> !expected.get(k).equals(actual.get(k))).count()
                + actual.keySet().stream().filter(k -> !expected.containsKey(k)).count();
        checks.check("dashboard query (events per hour and display name): groups differing from what was sent", 0, differing);
    }

    private static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.substring(0, Math.min(12, s.length()));
    }
}
