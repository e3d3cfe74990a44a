package io.tributary.dev.bench;

import io.tributary.cli.common.TributaryHome;
import io.tributary.dev.demo.DemoRun;
import io.tributary.dev.demo.EventSender;
import io.tributary.dev.demo.FreshnessProbe;
import io.tributary.dev.demo.LakeProgress;
import io.tributary.dev.demo.ShopDatabase;
import io.tributary.dev.stack.StackOptions;
import io.tributary.dev.stack.StackSession;
import io.tributary.devstack.s3.LocalS3;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * `tributary bench freshness`: how long a source record takes to be in an S3 object, for app events
 * (sent -> row) and database changes (insert committed -> its CDC row), at 20 a second and at
 * fractions of the pipeline's measured maximum rate, as p50/p95/p99. A probe on its own thread
 * watches S3 every 250 ms (see {@link FreshnessProbe}); the sink's 10 s flush dominates by design.
 */
@Command(name = "freshness", mixinStandardHelpOptions = true,
        description = "Benchmark event sent / change committed -> its row in an S3 object (p50/p95/p99) at 20/s and at 50% and 80% of the measured maximum rate.")
public final class BenchFreshnessCommand implements Callable<Integer> {
    private static final Duration CATCH_UP = Duration.ofMinutes(3);
    /** The demo's CDC table with an auto-increment id, into which the bench inserts. */
    private static final String TRANSACTIONS = "transactions";

    @Mixin
    StackOptions stackOptions;

    @Option(names = "--rates", split = ",", defaultValue = "20,50%,80%",
            description = "Rates to measure: records a second, or a percentage of the maximum rate (default ${DEFAULT-VALUE}).")
    List<String> rates;

    @Option(names = "--duration", defaultValue = "PT60S", description = "How long each rate sends (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--max-rate", defaultValue = "0",
            description = "The pipeline's maximum rate in events/s; 0 measures it first by draining a backlog (default ${DEFAULT-VALUE}).")
    int maxRate;

    @Option(names = "--backlog", defaultValue = "60000", description = "Events in the backlog that measures the maximum rate (default ${DEFAULT-VALUE}).")
    int backlog;

    @Option(names = "--sources", split = ",", defaultValue = "events,cdc", description = "events, cdc or both (default ${DEFAULT-VALUE}).")
    List<String> sources;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> bad = sources.stream().filter(s -> !s.equals("events") && !s.equals("cdc")).toList();
        if (!bad.isEmpty() || rates.stream().anyMatch(r -> !r.matches("\\d+%?"))) {
            spec.commandLine().getErr().println("error: --sources takes events and cdc, --rates numbers or percentages (e.g. 20,50%,80%)");
            return 2;
        }
        Clock clock = Clock.systemUTC();
        try (StackSession session = StackSession.open(stackOptions, out);
                DemoRun run = new DemoRun(session.config(), TributaryHome.connectorConfigs(), 0, out);
                S3Client s3 = LocalS3.client(session.config())) {
            run.setUp();
            run.drain(CATCH_UP);
            int max = maxRate > 0 ? maxRate : measureMaxRate(run, out);
            List<String> lines = new ArrayList<>();
            for (String rate : rates) {
                int perSecond = rate.endsWith("%") ? Math.max(1, max * Integer.parseInt(rate.substring(0, rate.length() - 1)) / 100)
                        : Integer.parseInt(rate);
                for (String source : sources) {
                    out.printf("==> %s at %,d a second (%s) for %s%n", source, perSecond, rate, duration);
                    out.flush();
                    lines.add(measure(run, s3, source, rate, perSecond, clock));
                }
            }
            out.printf("%nFreshness: event sent / insert committed -> its row in an S3 object (probe on its own thread, every %d ms; "
                    + "sink flush as configured), %s per rate; maximum rate %,d events/s (%s)%n", FreshnessProbe.POLL.toMillis(), duration, max,
                    maxRate > 0 ? "given" : "measured");
            out.printf("  %-6s %6s %9s %10s %8s %8s %8s %8s %6s%n", "source", "rate", "target/s", "achieved/s", "rows", "p50", "p95", "p99", "poll");
            lines.forEach(out::println);
            return 0;
        }
    }

    /**
     * The maximum rate: a backlog sent as fast as the producer can, then the time until the events
     * app has committed all of it (so the figure is as fine as its commit interval). The streams app is the pipeline's bottleneck (the sink writes
     * several times faster, see `bench sink`); rows then need up to one flush interval more to be in S3.
     */
    private int measureMaxRate(DemoRun run, PrintWriter out) throws Exception {
        out.printf("==> Maximum rate: a backlog of %,d events, drained by the streams app%n", backlog);
        out.flush();
        LakeProgress progress = run.progress();
        long start = System.nanoTime();
        for (int i = 0; i < backlog; i++) {
            run.sender().sendOne();
        }
        run.sender().flush();
        long deadline = start + CATCH_UP.toNanos();
        while (progress.inputLag(DemoRun.EVENTS_TOPIC) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int max = (int) (backlog / seconds);
        out.printf("    drained in %.1f s: %,d events/s%n", seconds, max);
        run.drain(CATCH_UP);
        return max;
    }

    private String measure(DemoRun run, S3Client s3, String source, String rate, int perSecond, Clock clock) throws Exception {
        // Only this rate's records are measured: events by the time the sender stamped on them (known
        // once the broker acknowledged them, long before their row can be in S3), inserts by their commit.
        Set<String> sentEvents = ConcurrentHashMap.newKeySet();
        Map<String, Long> committedInserts = new ConcurrentHashMap<>();
        String bucket = run.stack().bucket();
        boolean events = source.equals("events");
        EventSender sender = run.sender();
        ToLongFunction<String> measured = events ? id -> sentEvents.contains(id) ? sender.sentAt(id) : -1
                : id -> committedInserts.getOrDefault(id, -1L);
        try (FreshnessProbe probe = events
                ? FreshnessProbe.ofEvents(s3, bucket, run.pipelineConfig().eventsTable(), measured, clock)
                : FreshnessProbe.ofInserts(s3, bucket, TRANSACTIONS, measured, clock)) {
            probe.start();
            long start = System.nanoTime();
            long total = duration.toMillis() * perSecond / 1000;
            for (long i = 0; i < total; i++) {
                Pacing.awaitSlot(start, i, perSecond);
                if (events) {
                    sentEvents.add(sender.sendOne());
                } else {
                    long id = run.database().insertTransaction(ShopDatabase.userId((int) (i % ShopDatabase.USERS)),
                            1 + i % ShopDatabase.MASTERS.size(), BigDecimal.valueOf(100 + i % 90_000, 2));
                    committedInserts.put(Long.toString(id), clock.millis());
                }
            }
            sender.flush();
            double achieved = total / ((System.nanoTime() - start) / 1e9);
            // Good events only: the deliberately broken ones go to the dead letters.
            long expected = events ? sentEvents.stream().filter(id -> sender.sentAt(id) >= 0).count() : committedInserts.size();
            long deadline = System.nanoTime() + CATCH_UP.toNanos();
            while (probe.measured() < expected && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            return String.format("  %-6s %6s %,9d %,10.1f %,8d %6.1f s %6.1f s %6.1f s %4d ms%s", source, rate, perSecond, achieved,
                    probe.measured(), probe.percentile(50) / 1000.0, probe.percentile(95) / 1000.0, probe.percentile(99) / 1000.0,
                    probe.medianPollGapMs(), probe.measured() < expected
                            ? String.format("  (%,d of %,d not seen within %s)", expected - probe.measured(), expected, CATCH_UP) : "");
        }
    }
}
