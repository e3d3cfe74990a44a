package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.CliRun;
import io.tributary.cli.common.PipelineSettings;
import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.connectors.ApplyCommand;
import io.tributary.cli.connectors.ConnectorFile;
import io.tributary.cli.dashboards.AggregateTable;
import io.tributary.cli.dashboards.LakeAggregateSql;
import io.tributary.cli.dashboards.RebuildCommand;
import io.tributary.cli.lake.LocalLake;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.connect.ConnectWorker;
import io.tributary.schemas.dashboards.AggregateRows;
import io.tributary.streams.config.Aggregate;
import io.tributary.streams.dashboards.BucketKey;
import io.tributary.streams.dashboards.ConnectRows;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed charts as a BI tool reads them: events and CDC changes through the streams app's
 * aggregates app (the shipped pipeline.properties) and Debezium's JDBC sink (the shipped
 * connectors/config/dashboards-postgres.json) into PostgreSQL tables, with exact values per bucket
 * and group: a replayed event counts once, a later event updates its row, a status change moves an
 * amount, and a group emptied by a delete loses its row. The read-only BI role reads them. Events
 * older than the grace period, dropped by the live app, are brought in by {@code tributary dashboards rebuild}.
 */
@ExtendWith(DevStackExtension.class)
class DashboardsPostgresIT {
    private static final Duration VISIBLE = Duration.ofSeconds(90);
    private static final String WEB = DashboardsPipeline.WEB;
    private static final String STORE = DashboardsPipeline.STORE;
    private static final Instant HOUR = DashboardsPipeline.HOUR;
    private static final Instant NEXT_HOUR = HOUR.plus(1, ChronoUnit.HOURS);

    @TempDir
    Path tmp;

    @Test
    void aggregatesLandInPostgresExactlyAndFollowChanges(DevStack stack) throws Exception {
        Instant day = HOUR.atZone(ZoneId.of("Asia/Tokyo")).toLocalDate().atStartOfDay(ZoneId.of("Asia/Tokyo")).toInstant();
        String eventsTable;
        String statusTable;
        try (DashboardsPipeline p = new DashboardsPipeline(stack)) {
            eventsTable = AggregateRows.tableName(p.dashPrefix + "events_per_hour");
            statusTable = AggregateRows.tableName(p.dashPrefix + "transactions_per_status");
            deploySink(stack, p.prefix, p.dashPrefix); // after the app created the topics, which its topics.regex then finds

            p.event("e1", HOUR.plusSeconds(300), 1, "100.50", "u-1");
            p.event("e2", HOUR.plusSeconds(360), 1, "20.25", "u-2");
            p.event("e2", HOUR.plusSeconds(360), 1, "20.25", "u-2"); // a replay: counted once
            p.event("e3", HOUR.plusSeconds(420), 2, "7.00", "u-3");
            p.event("e4", HOUR.plusSeconds(480), 99, "1.00", "u-1"); // no such master: (none)
            p.event("e5", NEXT_HOUR.plusSeconds(60), 1, "3.00", "u-1");
            p.transaction("c", 1, "pending", "100.00", HOUR);
            p.transaction("c", 2, "pending", "50.00", HOUR);
            p.transaction("c", 3, "paid", "10.00", HOUR);
            p.flush();

            Map<String, String> hourly = new TreeMap<>(Map.of(
                    row(HOUR, WEB), "2 120.75 2",
                    row(HOUR, STORE), "1 7.00 1",
                    row(HOUR, "(none)"), "1 1.00 1",
                    row(NEXT_HOUR, WEB), "1 3.00 1"));
            awaitTable(stack, eventsTable, "source_type_name", "events, amount, users", hourly);
            awaitTable(stack, statusTable, "status", "transactions, amount",
                    Map.of(row(day, "paid"), "1 10.00", row(day, "pending"), "2 150.00"));

            p.event("e6", HOUR.plusSeconds(600), 1, "4.00", "u-3");
            p.event("e1", HOUR.plusSeconds(300), 1, "100.50", "u-1"); // replayed again
            p.transaction("u", 1, "paid", "100.00", HOUR);
            p.transaction("d", 2, "pending", "50.00", HOUR);
            p.flush();

            hourly.put(row(HOUR, WEB), "3 124.75 3");
            awaitTable(stack, eventsTable, "source_type_name", "events, amount, users", hourly);
            awaitTable(stack, statusTable, "status", "transactions, amount", Map.of(row(day, "paid"), "2 110.00"));
            checkWhatBiToolsSee(stack, eventsTable);

            rebuildRestoresEventsOlderThanTheGracePeriod(stack, p, eventsTable, hourly);
        }
    }

    /**
     * Events older than the grace period reach the lake but not PostgreSQL (the live app drops them
     * as late and counts them); {@code tributary dashboards rebuild} of their range makes the table
     * equal the aggregate computed over the lake (the demo's reconciliation), deletes a row of the
     * range the lake does not have, and a second rebuild sends nothing.
     */
    private void rebuildRestoresEventsOlderThanTheGracePeriod(DevStack stack, DashboardsPipeline p, String eventsTable,
            Map<String, String> hourly) throws Exception {
        long phase = System.nanoTime();
        Instant old = oldHour(p);
        long lateBefore = p.lateDropped("events_per_hour");
        p.event("o1", old.plusSeconds(60), 1, "5.00", "u-7");
        p.event("o2", old.plusSeconds(120), 2, "6.50", "u-8");
        p.event("o2", old.plusSeconds(120), 2, "6.50", "u-8"); // a replay: dropped again, and counted once in the lake
        p.event("o3", old.plusSeconds(180), 1, "1.25", "u-7");
        p.flush();
        Aggregate hourlyAggregate = RebuildCommand.resolved(PipelineSettings.load(p.settings::get, null, Map.of())).aggregates().stream()
                .filter(a -> a.name().equals("events_per_hour")).findFirst().orElseThrow();
        ConnectRows rows = new ConnectRows(hourlyAggregate);
        String ghostKey = new BucketKey(old.toEpochMilli(), List.of("ghost")).encode(); // a row the lake has no events for
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.config().bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            String topic = p.dashPrefix + "events_per_hour";
            producer.send(new ProducerRecord<>(topic, null, old.toEpochMilli(), rows.keySerde().serializer().serialize(topic, ghostKey),
                    rows.valueSerde().serializer().serialize(topic, rows.value(BucketKey.decode(ghostKey),
                            List.of(1L, new BigDecimal("9.99"), 1L), 0)))).get();
        }
        hourly.put(row(old, "ghost"), "1 9.99 1");
        awaitTable(stack, eventsTable, "source_type_name", "events, amount, users", hourly);
        await(() -> p.lateDropped("events_per_hour") - lateBefore, 4L, "events dropped as late");

        deployLakeSink(stack, p.prefix);
        Map<String, String> cli = new HashMap<>(ConnectWorker.environment(stack.config()));
        cli.putAll(p.settings);
        cli.put("TRIBUTARY_WORK_DIR", tmp.toString());
        await(() -> lakeEvents(cli, p.prefix), 9L, "distinct events in the lake"); // e1..e6 and o1..o3
        String[] rebuild = {"dashboards", "rebuild", "--from", old.toString(), "--to", HOUR.toString(), "--aggregate", "events_per_hour",
                "--prefix", p.prefix};

        long started = System.nanoTime();
        CliRun first = CliRun.with(cli::get, rebuild);
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("rebuilt events_per_hour " + old + " .. " + HOUR
                + ": 2 row(s) in the lake, 0 unchanged, 2 written, 1 deleted");
        hourly.remove(row(old, "ghost"));
        hourly.put(row(old, WEB), "2 6.25 1");
        hourly.put(row(old, STORE), "1 6.50 1");
        awaitTable(stack, eventsTable, "source_type_name", "events, amount, users", hourly);
        System.out.printf("dashboards rebuild: PostgreSQL caught up %.1f s after the rebuild started%n", (System.nanoTime() - started) / 1e9);
        // The demo's reconciliation: every bucket since the oldest event, in PostgreSQL and over the lake.
        try (LocalLake lake = LocalLake.over(tmp.resolve("lake-mirror"), p.prefix); Connection pg = stack.postgres()) {
            AggregateTable inLake = AggregateTable.query(lake.connection(), hourlyAggregate,
                    LakeAggregateSql.of(hourlyAggregate, "(none)", List.of(), old.toEpochMilli()));
            assertThat(inLake.rows()).hasSize(6);
            assertThat(AggregateTable.inPostgres(pg, hourlyAggregate, eventsTable, old.toEpochMilli())
                    .differencesFrom(inLake, "PostgreSQL", "the lake")).isEmpty();
        }

        CliRun second = CliRun.with(cli::get, rebuild);
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).contains(": 2 row(s) in the lake, 2 unchanged, 0 written, 0 deleted");
        assertThat(read(stack, eventsTable, "source_type_name", "events, amount, users")).isEqualTo(hourly);
        System.out.printf("dashboards rebuild phase of DashboardsPostgresIT: %.1f s%n", (System.nanoTime() - phase) / 1e9);
    }

    /**
     * An hour 3 or more hours back whose buckets (by web and by store) go to tasks that have seen this
     * test's events: the app closes buckets by each task's stream time, so there they closed long ago.
     */
    private static Instant oldHour(DashboardsPipeline p) throws Exception {
        Set<Integer> seen = new HashSet<>();
        for (Instant bucket : List.of(HOUR, NEXT_HOUR)) {
            for (String group : List.of(WEB, STORE, "(none)")) {
                if (!bucket.equals(NEXT_HOUR) || group.equals(WEB)) {
                    seen.add(p.partitionOf("events_per_hour", new BucketKey(bucket.toEpochMilli(), List.of(group)).encode()));
                }
            }
        }
        for (int back = 3; back < 48; back++) {
            long start = HOUR.minus(back, ChronoUnit.HOURS).toEpochMilli();
            if (seen.contains(p.partitionOf("events_per_hour", new BucketKey(start, List.of(WEB)).encode()))
                    && seen.contains(p.partitionOf("events_per_hour", new BucketKey(start, List.of(STORE)).encode()))) {
                return Instant.ofEpochMilli(start);
            }
        }
        throw new IllegalStateException("no hour in the last two days whose buckets go to the tasks that saw events " + seen);
    }

    /** The shipped lake sink, for this test's lake topics, writing under its own prefix of the stack's bucket. */
    private static void deployLakeSink(DevStack stack, String prefix) {
        ConnectorFile shipped = ConnectorFile.parse(TributaryHome.connectorConfigs().resolve("lake-sink.json"));
        Map<String, String> config = new HashMap<>(shipped.config());
        config.put("topics.regex", Pattern.quote(prefix + ".lake.") + ".*");
        config.put("table.name.strip.prefix", prefix + ".lake.");
        config.put("topics.dir", prefix);
        config.put("rotate.schedule.interval.ms", "2000");
        config.put("errors.deadletterqueue.topic.name", prefix + ".dlq.lake-sink");
        ApplyCommand.apply(List.of(new ConnectorFile(shipped.path(), prefix + "-lake", config)), stack.config().connectUrl(),
                Duration.ofMinutes(2), new PrintWriter(System.out, true));
    }

    private static long lakeEvents(Map<String, String> cli, String prefix) {
        CliRun q = CliRun.with(cli::get, "query", "--csv", "--prefix", prefix, "SELECT count(DISTINCT event_id) AS n FROM app_events");
        return q.exitCode() == 0 ? Long.parseLong(q.out().lines().skip(1).findFirst().orElse("0").trim()) : -1;
    }

    private static void await(Callable<Long> value, long expected, String what) throws Exception {
        long deadline = System.nanoTime() + VISIBLE.toNanos();
        long actual = value.call();
        while (actual != expected && System.nanoTime() < deadline) {
            Thread.sleep(500);
            actual = value.call();
        }
        assertThat(actual).as(what).isEqualTo(expected);
    }

    /** The shipped sink config, under a name of its own and for this test's aggregate topics only. */
    private static void deploySink(DevStack stack, String prefix, String dashPrefix) {
        ConnectorFile shipped = ConnectorFile.parse(TributaryHome.connectorConfigs().resolve("dashboards-postgres.json"));
        Map<String, String> config = new HashMap<>(shipped.config());
        config.put("topics.regex", dashPrefix.replace(".", "\\.") + ".*");
        ApplyCommand.apply(java.util.List.of(new ConnectorFile(shipped.path(), prefix + "-postgres", config)),
                stack.config().connectUrl(), Duration.ofMinutes(2), new PrintWriter(System.out, true));
    }

    /** The time column is timestamptz, the sums numeric; the read-only BI role can read the rows. */
    private static void checkWhatBiToolsSee(DevStack stack, String table) throws SQLException {
        try (Connection c = stack.postgres(); Statement st = c.createStatement();
                ResultSet r = st.executeQuery("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '"
                        + table + "' AND column_name IN ('bucket_start', 'amount', 'events')")) {
            Map<String, String> types = new TreeMap<>();
            while (r.next()) {
                types.put(r.getString(1), r.getString(2));
            }
            assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.of("bucket_start", "timestamp with time zone",
                    "amount", "numeric", "events", "bigint"));
        }
        try (Connection bi = DriverManager.getConnection(stack.config().postgresUrl(), StackConfig.PG_BI_USER, StackConfig.PG_BI_PASSWORD);
                Statement st = bi.createStatement();
                ResultSet r = st.executeQuery("SELECT sum(events) FROM " + table)) {
            assertThat(r.next()).isTrue();
            assertThat(r.getLong(1)).as("events in %s, read as the BI role", table).isEqualTo(6);
        }
    }

    private static String row(Instant bucketStart, String group) {
        return AggregateRows.time(bucketStart.toEpochMilli()) + " " + group;
    }

    /** Polls the table until it holds exactly {@code expected} ("bucket group" to the measures), or fails showing both. */
    private static void awaitTable(DevStack stack, String table, String group, String measures, Map<String, String> expected)
            throws Exception {
        long deadline = System.nanoTime() + VISIBLE.toNanos();
        Map<String, String> actual = Map.of();
        while (System.nanoTime() < deadline) {
            actual = read(stack, table, group, measures);
            if (actual.equals(expected)) {
                return;
            }
            Thread.sleep(250);
        }
        assertThat(actual).as("rows of %s after %s", table, VISIBLE).isEqualTo(new TreeMap<>(expected));
    }

    private static Map<String, String> read(DevStack stack, String table, String group, String measures) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = stack.postgres(); Statement st = c.createStatement()) {
            ResultSet r = st.executeQuery("SELECT bucket_start, " + group + ", " + measures + " FROM " + table);
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder values = new StringBuilder();
                for (int i = 3; i <= columns; i++) {
                    Object v = r.getObject(i);
                    values.append(i > 3 ? " " : "").append(v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v));
                }
                rows.put(row(r.getTimestamp(1).toInstant(), r.getString(2)), values.toString());
            }
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) { // the sink has not created the table yet
                throw e;
            }
        }
        return rows;
    }
}
