package io.tributary.dev.reliability;

import io.tributary.cli.common.TributaryHome;
import io.tributary.dev.stack.StackOptions;
import io.tributary.devstack.StackException;
import io.tributary.devstack.StackState;
import io.tributary.devstack.process.ProcessComponent;
import io.tributary.devstack.stack.Stack;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `tributary soak`: the pipeline on a stack of its own under a steady load, with a random fault every
 * interval (SIGKILLs of the Connect worker, the streams app, MariaDB and the broker, connector and
 * database restarts) and failing S3 requests; then the exact reconciliation and each JVM's heap after
 * a GC at start and end. Exit code 1 on any mismatch.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Run the pipeline under load with a random fault every interval, then reconcile exactly.")
public final class SoakCommand implements Callable<Integer> {
    @Mixin
    StackOptions stackOptions;

    @Option(names = "--duration", defaultValue = "30m",
            description = "How long to run the load (30s, 10m, 1h or ISO-8601; default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--fault-every", defaultValue = "60s",
            description = "Time between faults (default ${DEFAULT-VALUE}).")
    Duration faultEvery;

    @Option(names = "--rate", defaultValue = "40", description = "Application events per second (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--transactions", defaultValue = "8", description = "Database transactions per second (default ${DEFAULT-VALUE}).")
    int transactions;

    @Option(names = "--s3-failure-rate", defaultValue = "0.1", description = "Share of the sink's S3 requests that fail (default ${DEFAULT-VALUE}).")
    double s3FailureRate;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the fault sequence (default ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (StackState.read(stackOptions.dataDir()).filter(StackState.Running::processAlive).isPresent()) {
            throw new StackException("A stack is running with data dir " + stackOptions.dataDir() + "; the soak kills "
                    + "components of a stack of its own: stop it first (`./tributary down`) or pass another --data-dir");
        }
        String run = "soak" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        Path dir = Files.createDirectories(stackOptions.dataDir().resolve(run));
        out.println("==> Starting a stack of its own in " + dir);
        out.flush();
        try (Stack stack = new Stack(stackOptions.toConfig().withDataDir(dir.resolve("stack")), line -> {
                out.println("  " + line);
                out.flush();
            })) {
            stack.start();
            try (FaultRun soak = new FaultRun(stack, TributaryHome.connectorConfigs(), dir, run, out)) {
                soak.start(s3FailureRate);
                Map<String, Long> heapAtStart = heaps(stack, soak);
                soak.drive(duration, rate, transactions, schedule());
                Map<LedgerDatabase.Change, Integer> delivered = soak.awaitCdcDelivery(Duration.ofMinutes(5));
                soak.drain(Duration.ofMinutes(10));
                Map<String, Long> heapAtEnd = heaps(stack, soak);
                List<String> mismatches = soak.reconcile(dir.resolve("mirror"));
                out.println();
                out.printf("Soak of %s: faults %s; events %,d; database changes %,d (Debezium re-sent %,d; the lake "
                                + "holds each once); mismatches %d%n", duration, soak.injected(), soak.events().good(),
                        soak.databaseChanges(), delivered.values().stream().mapToLong(n -> n - 1).sum(), mismatches.size());
                heapAtStart.forEach((jvm, start) -> out.printf("  heap after GC %-12s start %,6d KiB, end %,6d KiB%n",
                        jvm, start / 1024, heapAtEnd.getOrDefault(jvm, -1L) / 1024));
                out.println(mismatches.isEmpty() ? "PASSED" : "FAILED: " + String.join("; ", mismatches));
                return mismatches.isEmpty() ? 0 : 1;
            }
        }
    }

    /**
     * One fault per interval over the duration, drawn from a shuffled deck of every kind (refilled
     * when empty), so every kind comes once in each run of {@code Fault.values().length} faults:
     * independent draws left the worker's SIGKILL out of a whole 30-minute run.
     */
    List<FaultRun.ScheduledFault> schedule() {
        Random random = new Random(seed);
        List<Fault> deck = new ArrayList<>();
        List<FaultRun.ScheduledFault> out = new ArrayList<>();
        for (Duration at = faultEvery; at.compareTo(duration) < 0; at = at.plus(faultEvery)) {
            if (deck.isEmpty()) {
                deck.addAll(List.of(Fault.values()));
                Collections.shuffle(deck, random);
            }
            out.add(new FaultRun.ScheduledFault(at, deck.remove(deck.size() - 1)));
        }
        return out;
    }

    private static Map<String, Long> heaps(Stack stack, FaultRun soak) {
        Map<String, Long> heaps = new LinkedHashMap<>();
        for (String name : List.of("kafka", "registry", "connect", "s3")) {
            if (stack.component(name) instanceof ProcessComponent p && p.process() != null) {
                heaps.put(name, HeapUsage.afterGc(p.process().pid()));
            }
        }
        heaps.put("streams-app", HeapUsage.afterGc(soak.pipeline().app().pid()));
        return heaps;
    }
}
