package io.tributary.dev.reliability;

import io.tributary.cli.lake.LocalLake;
import io.tributary.dev.demo.EventSender;
import io.tributary.dev.demo.LakeProgress;
import io.tributary.dev.stack.LocalStackLake;
import io.tributary.devstack.Errors;
import io.tributary.devstack.StackException;
import io.tributary.devstack.stack.Stack;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;

/**
 * A steady load of application events and database transactions through an {@link IsolatedPipeline}
 * while faults are injected on schedule, then the exact reconciliation: what the fault test and
 * {@code tributary soak} both run.
 */
public final class FaultRun implements AutoCloseable {
    /** A fault and when to inject it, counted from the start of the load (later if the previous one is still recovering). */
    public record ScheduledFault(Duration at, Fault fault) {
    }

    private final Stack stack;
    private final IsolatedPipeline pipeline;
    private final PrintWriter out;
    private final String run;
    private final ExecutorService faultThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fault-injector");
        t.setDaemon(true);
        return t;
    });
    private EventSender events;
    private FaultInjector faults;
    private Admin admin;
    private LakeProgress progress;
    private long databaseChanges;

    public FaultRun(Stack stack, Path connectorDir, Path workDir, String run, PrintWriter out) {
        this.stack = stack;
        this.run = run;
        this.out = out;
        this.pipeline = new IsolatedPipeline(stack.config(), connectorDir, run, workDir);
    }

    public IsolatedPipeline pipeline() {
        return pipeline;
    }

    /** Sets the pipeline up; the sink's S3 requests fail at {@code s3FailureRate}. */
    public void start(double s3FailureRate) throws Exception {
        say("Setting up pipeline " + run + " (database, topics, streams app, connectors; S3 failure rate "
                + Math.round(s3FailureRate * 100) + "%)");
        pipeline.start(s3FailureRate);
        events = new EventSender(stack.config().bootstrapServers(), pipeline.eventsTopic(), eventIdPrefix(), 100,
                Clock.systemUTC());
        faults = new FaultInjector(stack, pipeline);
        admin = Admin.create(Map.of("bootstrap.servers", stack.config().bootstrapServers()));
        progress = new LakeProgress(admin, stack.config().bootstrapServers(), pipeline.lakeTopicPrefix(),
                pipeline.sinkConnector(), pipeline.applicationId());
    }

    public String eventIdPrefix() {
        return "evt-" + run + "-";
    }

    /**
     * Sends events and runs database transactions at the given rates for {@code duration} and until
     * every scheduled fault has been injected and recovered from, with a progress line every 5 s.
     */
    public void drive(Duration duration, int eventsPerSecond, int transactionsPerSecond, List<ScheduledFault> schedule)
            throws Exception {
        say("Load: " + eventsPerSecond + " events/s and " + transactionsPerSecond + " database transactions/s for "
                + duration + ", with " + schedule.size() + " faults");
        long start = System.nanoTime();
        Future<?> injecting = faultThread.submit(() -> {
            for (ScheduledFault scheduled : schedule) {
                sleepUntil(start + scheduled.at().toNanos());
                long t0 = System.nanoTime();
                say(String.format("  [%4ds] FAULT %s", (t0 - start) / 1_000_000_000, scheduled.fault().description()));
                faults.inject(scheduled.fault());
                say(String.format("  [%4ds] recovered in %.1f s", (System.nanoTime() - start) / 1_000_000_000,
                        (System.nanoTime() - t0) / 1e9));
            }
            return null;
        });
        long eventsDone = 0;
        long transactionsDone = 0;
        long nextReport = start;
        while (System.nanoTime() - start < duration.toNanos() || !injecting.isDone()) {
            long elapsed = System.nanoTime() - start;
            if (eventsDone * 1_000_000_000L / eventsPerSecond <= elapsed) {
                events.sendOne();
                eventsDone++;
            } else if (transactionsDone * 1_000_000_000L / transactionsPerSecond <= elapsed) {
                databaseChanges += pipeline.ledger().step();
                transactionsDone++;
            } else {
                Thread.sleep(1);
            }
            if (System.nanoTime() >= nextReport) {
                report(start);
                nextReport += 5_000_000_000L;
            }
        }
        events.flush();
        try {
            injecting.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new StackException("A fault could not be recovered from: " + e.getCause().getMessage(), e.getCause());
        }
        say("Load stopped. Faults injected: " + faults.injected() + " (restarted during recovery, as a supervisor would: "
                + faults.taskRestarts() + " failed tasks, the streams app " + faults.appRestarts() + " times); S3 proxy: " + pipeline.s3Faults());
        faults.appExits().forEach(exit -> say("  The streams app had stopped " + exit));
    }

    /**
     * Waits until Debezium has delivered every committed change to its topic; returns how often it
     * delivered each (at least once; more after a crash). Fails naming the changes it never delivered.
     */
    public Map<LedgerDatabase.Change, Integer> awaitCdcDelivery(Duration timeout) throws Exception {
        List<LedgerDatabase.Change> committed = pipeline.ledger().ledger();
        Predicate<Map<LedgerDatabase.Change, Integer>> all = counts -> counts.keySet().containsAll(committed);
        Map<LedgerDatabase.Change, Integer> delivered = CdcTopicReader.read(stack.config().bootstrapServers(),
                pipeline.cdcTopic(LedgerDatabase.TABLE), all, timeout);
        List<LedgerDatabase.Change> missing = committed.stream().filter(c -> !delivered.containsKey(c)).toList();
        long resent = delivered.values().stream().mapToLong(n -> n - 1).sum();
        say("Debezium delivered " + delivered.size() + " of " + committed.size() + " committed changes to its topic ("
                + resent + " sent more than once)");
        if (!missing.isEmpty()) {
            throw new AssertionError("Committed changes that never reached " + pipeline.cdcTopic(LedgerDatabase.TABLE)
                    + ": " + missing.size() + ", e.g. " + missing.subList(0, Math.min(10, missing.size())));
        }
        return delivered;
    }

    /** Waits until the streams app has read everything and the sink has committed every lake row (= it is in S3). */
    public void drain(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        long last = 0;
        while (true) {
            LakeProgress.Snapshot now = progress.snapshot();
            if (now.drained() && now.lakeRecords() > 0) {
                say("Drained: " + now.lakeRecords() + " lake rows in S3");
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                pipeline.app().awaitHealthy(Duration.ofSeconds(1)); // an app that has stopped: its log says why
                throw new StackException("Not everything reached S3 within " + timeout + ": " + now.inS3() + " of "
                        + now.lakeRecords() + " lake rows, streams lag " + now.streamsLag());
            }
            if (System.nanoTime() - last > 5_000_000_000L) {
                say("  draining: " + now.inS3() + " of " + now.lakeRecords() + " lake rows in S3, streams lag " + now.streamsLag());
                last = System.nanoTime();
            }
            Thread.sleep(1000);
        }
    }

    /** The exact reconciliation of the lake (copied to {@code mirror}) with what was sent and committed. */
    public List<String> reconcile(Path mirror) throws Exception {
        say("Reconciliation (every event and every database change exactly once in the lake):");
        try (LocalLake lake = LocalStackLake.open(stack.config(), pipeline.bucket(), mirror)) {
            return new ExactlyOnceCheck(lake, out).check(events, eventIdPrefix(), pipeline.eventsTopic(), pipeline.ledger());
        }
    }

    public Map<Fault, Integer> injected() {
        return faults.injected();
    }

    public long databaseChanges() {
        return databaseChanges;
    }

    public EventSender events() {
        return events;
    }

    /** A progress line; while a fault has the broker down, the lake figures are unavailable, not fatal. */
    private void report(long start) throws InterruptedException {
        String lake;
        try {
            LakeProgress.Snapshot now = progress.snapshot();
            lake = String.format("lake rows in S3 %,d of %,d | streams lag %,d", now.inS3(), now.lakeRecords(),
                    now.streamsLag());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            lake = "lake progress unavailable (" + Errors.rootMessage(e) + ")";
        }
        say(String.format("  [%4ds] events %,d | database changes %,d (%,d transactions failed) | %s",
                (System.nanoTime() - start) / 1_000_000_000, events.good() + events.bad(), databaseChanges,
                pipeline.ledger().failedTransactions(), lake));
    }

    private synchronized void say(String line) {
        out.println(line);
        out.flush();
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    @Override
    public void close() throws Exception {
        faultThread.shutdownNow();
        for (AutoCloseable c : new AutoCloseable[] {events, progress, admin, pipeline}) {
            if (c != null) {
                c.close();
            }
        }
    }
}
