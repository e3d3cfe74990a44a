package io.tributary.dev.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.dashboards.AggregateTable;
import io.tributary.dev.dashboard.PageStream;
import io.tributary.dev.demo.DemoRun;
import io.tributary.dev.demo.EventSender;
import io.tributary.dev.demo.Percentiles;
import io.tributary.dev.demo.ShopDatabase;
import io.tributary.dev.stack.StackOptions;
import io.tributary.dev.stack.StackSession;
import io.tributary.devstack.postgres.PostgresServer;
import io.tributary.schemas.dashboards.AggregateRows;
import io.tributary.streams.config.Aggregate;
import io.tributary.streams.config.Measure;
import io.tributary.streams.dashboards.Bucketing;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `tributary bench dashboard`: how soon an event sent shows in the dashboards, on the demo's whole
 * pipeline (the streams app with its aggregates app, the JDBC sink, PostgreSQL, the dashboard page):
 * event sent to its hourly count visible on the page through the push stream (a logged-in client of
 * the stream, as the browser is), and to its row updated in PostgreSQL (polled every 50 ms, as a BI
 * tool would poll, only faster), as p50/p95 at each rate.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Benchmark event sent -> aggregate visible on the dashboard page (push stream) and in PostgreSQL, at given rates.")
public final class BenchDashboardCommand implements Callable<Integer> {
    private static final Duration PG_POLL = Duration.ofMillis(50);
    private static final Duration CATCH_UP = Duration.ofMinutes(3);

    @Mixin
    StackOptions stackOptions;

    @Option(names = "--rates", split = ",", defaultValue = "20,2000", description = "Events per second, one run each (default ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(names = "--duration", defaultValue = "PT30S", description = "How long each rate sends (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--aggregate", defaultValue = "events_per_hour",
            description = "The events aggregate to watch; it must count rows per source_type_name (default ${DEFAULT-VALUE}).")
    String aggregateName;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (StackSession session = StackSession.open(stackOptions, out);
                DemoRun run = new DemoRun(session.config(), TributaryHome.connectorConfigs(), 0, out)) {
            run.setUp();
            Aggregate aggregate = run.dashboards().aggregates().stream().filter(a -> a.name().equals(aggregateName)).findFirst().orElse(null);
            Measure count = aggregate == null ? null : aggregate.measures().stream().filter(m -> m.kind() == Measure.Kind.COUNT).findFirst().orElse(null);
            if (count == null || aggregate.idColumn() == null || !aggregate.groupBy().equals(List.of("source_type_name"))) {
                spec.commandLine().getErr().println("error: --aggregate " + aggregateName + " is not an events aggregate of the pipeline "
                        + "config that counts rows per source_type_name; see dashboards.aggregates in " + TributaryHome.pipelineConfig());
                return 2;
            }
            String table = AggregateRows.tableName(run.dashboards().topic(aggregate));
            Map<Integer, String> results = new LinkedHashMap<>();
            try (Connection pg = PostgresServer.connect(session.config());
                    PageStream page = new PageStream(run.dashboardUrl(), DemoRun.DASHBOARD_USER, run.dashboardPassword())) {
                AtomicReference<VisibilityLatency> onPage = new AtomicReference<>();
                page.follow(change -> {
                    long now = System.nanoTime();
                    VisibilityLatency current = onPage.get();
                    if (current != null && change.path("aggregate").asText().equals(aggregate.name()) && !change.path("row").isNull()) {
                        current.observe(key(change.path("row")), change.path("row").path(count.name()).asLong(), now);
                    }
                });
                for (int rate : rates) {
                    out.printf("==> %,d events/s for %s%n", rate, duration);
                    out.flush();
                    onPage.set(new VisibilityLatency(pageRows(page, aggregate, count)));
                    results.put(rate, measure(run, aggregate, count, table, pg, onPage.get(), rate));
                }
            }
            out.printf("%nEvent sent -> %s count visible (dashboard page: push stream to a logged-in client; PostgreSQL: "
                    + "table %s polled every %d ms), %s per rate:%n", aggregate.name(), table, PG_POLL.toMillis(), duration);
            results.forEach((rate, line) -> out.printf("  %,6d events/s  %s%n", rate, line));
            return 0;
        }
    }

    /** One rate: PostgreSQL's baseline, then events sent while both channels are watched, then the wait until both show them all. */
    private String measure(DemoRun run, Aggregate aggregate, Measure count, String table, Connection pg, VisibilityLatency onPage,
            int rate) throws Exception {
        Bucketing bucketing = Bucketing.of(aggregate);
        long from = bucketing.start(System.currentTimeMillis());
        VisibilityLatency inPostgres = new VisibilityLatency(postgresRows(pg, aggregate, table, count, from));
        AtomicBoolean polling = new AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                try {
                    long now = System.nanoTime();
                    postgresRows(pg, aggregate, table, count, from).forEach((key, n) -> inPostgres.observe(key, n, now));
                    Thread.sleep(PG_POLL.toMillis());
                } catch (InterruptedException e) {
                    return;
                } catch (SQLException e) {
                    // retried at the next poll; an event never seen shows in the figures as "not seen"
                }
            }
        }, "bench-postgres-poll");
        poller.start();
        try {
            Map<String, List<Long>> sent = send(run.sender(), bucketing, rate);
            long deadline = System.nanoTime() + CATCH_UP.toNanos();
            while (!(onPage.caughtUp(sent) && inPostgres.caughtUp(sent)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            int events = sent.values().stream().mapToInt(List::size).sum();
            return "page " + figures(onPage.latenciesMs(sent), events) + "   PostgreSQL " + figures(inPostgres.latenciesMs(sent), events);
        } finally {
            polling.set(false);
            poller.interrupt();
            poller.join();
        }
    }

    /** Sends {@code rate} events a second for the duration; returns each good event's send time (nanoTime) by its key. */
    private Map<String, List<Long>> send(EventSender sender, Bucketing bucketing, int rate) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        List<Long> sentAt = new ArrayList<>();
        long start = System.nanoTime();
        long total = duration.toMillis() * rate / 1000;
        for (long i = 0; i < total; i++) {
            Pacing.awaitSlot(start, i, rate);
            sentAt.add(System.nanoTime());
            ids.add(sender.sendOne());
        }
        sender.flush();
        Map<String, List<Long>> byKey = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            EventSender.Sent event = sender.sent().get(ids.get(i));
            if (event != null) { // null: one of the deliberately broken events, which go to the dead letters
                String name = ShopDatabase.MASTERS.get((int) event.sourceTypeId() - 1)[2];
                byKey.computeIfAbsent(AggregateRows.time(bucketing.start(event.time())) + " | " + name, k -> new ArrayList<>())
                        .add(sentAt.get(i));
            }
        }
        return byKey;
    }

    private static String figures(List<Long> latencies, int events) {
        return String.format("p50 %,6d ms  p95 %,6d ms%s", Percentiles.of(latencies, 50), Percentiles.of(latencies, 95),
                latencies.size() < events ? String.format("  (%,d of %,d events not seen within %s)", events - latencies.size(), events, CATCH_UP) : "");
    }

    private static Map<String, Long> pageRows(PageStream page, Aggregate aggregate, Measure count) throws Exception {
        Map<String, Long> rows = new HashMap<>();
        page.rows(aggregate.name()).forEach(row -> rows.put(key(row), row.path(count.name()).asLong()));
        return rows;
    }

    /** The count of each (bucket, group) row in PostgreSQL since {@code from}. */
    private static Map<String, Long> postgresRows(Connection pg, Aggregate aggregate, String table, Measure count, long from)
            throws SQLException {
        int index = aggregate.measures().indexOf(count);
        Map<String, Long> rows = new HashMap<>();
        AggregateTable.inPostgres(pg, aggregate, table, from).rows().forEach((key, values) -> rows.put(key, values.get(index).longValue()));
        return rows;
    }

    private static String key(JsonNode row) {
        return row.path(AggregateRows.BUCKET_START).asText() + " | " + row.path("source_type_name").asText();
    }
}
