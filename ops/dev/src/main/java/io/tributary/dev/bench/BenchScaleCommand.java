package io.tributary.dev.bench;

import io.tributary.cli.connectors.ConnectRestClient;
import io.tributary.dev.stack.StackOptions;
import io.tributary.dev.stack.StackSession;
import io.tributary.devstack.StackConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `tributary bench scale`: the same backlog drained by the live pipeline laid out as 1 or 2 streams
 * app instances (one application id, sharing the partitions) and 1 or 2 Connect workers (a cluster of
 * the bench's own; the lake sink's tasks spread over its workers), in a random order each round, as a
 * correctness-and-overhead check on one host: every layout must land every event exactly once in
 * its lake, and its CPU-seconds per 1,000 events (streams apps, workers and the stack's servers)
 * should stay within 10% of one app and one worker. On one host a second instance adds no cores;
 * what it adds is its cost.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Drain the same backlog with 1 or 2 streams app instances and 1 or 2 Connect workers: exactly once "
                + "in every layout, and CPU-seconds per 1,000 events against one app and one worker.")
public final class BenchScaleCommand implements Callable<Integer> {
    @Mixin
    StackOptions stackOptions;

    @Mixin
    BacklogOptions backlog;

    @Option(names = "--events", defaultValue = "100000", description = BacklogOptions.EVENTS_HELP)
    void events(int events) {
        backlog.events = events;
    }

    @Option(names = "--layouts", defaultValue = "1x1,2x1,1x2,2x2", split = ",", converter = Layout.Converter.class,
            description = "Layouts to compare, APPSxWORKERS; the first is the baseline (default ${DEFAULT-VALUE}).")
    List<Layout> layouts;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the events topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--seed", description = "Seed of the layouts' order in each round (default: random, printed).")
    Long seed;

    @Spec
    CommandSpec spec;

    /** Streams app instances and Connect workers. */
    record Layout(int apps, int workers) {
        private static final Pattern FORMAT = Pattern.compile("([12])x([12])");

        @Override
        public String toString() {
            return apps + "x" + workers;
        }

        String describe() {
            return apps + (apps == 1 ? " streams app, " : " streams apps, ") + workers + (workers == 1 ? " Connect worker" : " Connect workers");
        }

        static final class Converter implements ITypeConverter<Layout> {
            @Override
            public Layout convert(String value) {
                Matcher m = FORMAT.matcher(value.trim());
                if (!m.matches()) {
                    throw new IllegalArgumentException("a layout is APPSxWORKERS with 1 or 2 of each, e.g. 2x1; got '" + value + "'");
                }
                return new Layout(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Layout> distinct = List.copyOf(new LinkedHashSet<>(layouts));
        try (StackSession session = StackSession.open(stackOptions, out)) {
            StackConfig stack = session.config();
            String run = BenchStreamsCommand.uniqueName("bench").replace('-', '_');
            String input = run + ".events";
            String mastersTopic = run + ".shop.masters";
            BenchTopics.create(stack, List.of(new NewTopic(input, partitions, (short) 1),
                    new NewTopic(mastersTopic, 1, (short) 1)));
            Path logs = Files.createTempDirectory("tributary-bench-scale-");
            out.printf("The streams apps and Connect workers run in JVMs of their own; their logs are in %s.%n", logs);
            Map<Integer, BenchConnectCluster> clusters = new TreeMap<>();
            try {
                backlog.input().produce(stack, input, mastersTopic, out);
                for (Layout layout : distinct) {
                    if (!clusters.containsKey(layout.workers())) {
                        clusters.put(layout.workers(), BenchConnectCluster.start(stack, run + "-connect-" + layout.workers(),
                                layout.workers(), logs));
                        out.printf("Started a Connect cluster of %d worker(s) at %s.%n", layout.workers(),
                                clusters.get(layout.workers()).url());
                    }
                }
                long orderSeed = seed != null ? seed : new Random().nextLong();
                Random order = new Random(orderSeed);
                out.printf("Layouts run in a random order each round (--seed %d repeats it).%n", orderSeed);
                LiveDrain liveDrain = new LiveDrain(stack, new StackCpu(session.pid()), logs, backlog.events, backlog.masters);
                Map<Layout, Rounds> rates = new LinkedHashMap<>();
                Map<Layout, Rounds> cpu = new LinkedHashMap<>();
                Map<Layout, Rounds> steadyCpu = new LinkedHashMap<>();
                distinct.forEach(l -> {
                    rates.put(l, new Rounds(backlog.rounds));
                    cpu.put(l, new Rounds(backlog.rounds));
                    steadyCpu.put(l, new Rounds(backlog.rounds));
                });
                List<String> failures = new ArrayList<>();
                for (int round = backlog.firstRound(); round <= backlog.rounds; round++) {
                    List<Layout> shuffled = new ArrayList<>(distinct);
                    Collections.shuffle(shuffled, order);
                    for (Layout layout : shuffled) {
                        String label = Rounds.label(round) + " " + layout;
                        String name = run + "_r" + round + "_" + layout;
                        BenchConnectCluster cluster = clusters.get(layout.workers());
                        LiveDrain.Drained drained;
                        try {
                            drained = liveDrain.drain(label, name, BenchInput.pipelineSettings(stack, name, input, mastersTopic),
                                    layout.apps(), cluster.url(), cluster.pids(), out);
                            out.printf("  %s: the lake sink's tasks ran on %d worker(s)%n", label, sinkWorkers(cluster, name));
                        } finally {
                            LiveDrain.deleteSink(cluster.url(), name);
                        }
                        rates.get(layout).set(round, drained.eventsPerSecond(backlog.events));
                        cpu.get(layout).set(round, drained.cpuPerThousand(backlog.events));
                        steadyCpu.get(layout).set(round, drained.steadyCpuPerThousand());
                        String landed = exactlyOnce(stack, name, logs);
                        out.printf("  %s: %,.0f events/s, %.3f CPU-seconds per 1,000 events (%.3f in the steady window); "
                                + "the lake: %s%n", label, drained.eventsPerSecond(backlog.events), drained.cpuPerThousand(backlog.events),
                                drained.steadyCpuPerThousand(), landed);
                        if (!landed.startsWith("every event exactly once")) {
                            failures.add(label + ": " + landed);
                        }
                        out.flush();
                    }
                }
                report(out, distinct, rates, cpu, steadyCpu, failures);
                return failures.isEmpty() ? 0 : 1;
            } finally {
                clusters.values().forEach(BenchConnectCluster::close);
                BenchTopics.deleteRun(stack, run, out);
            }
        }
    }

    /** How many distinct workers ran the round's lake sink tasks (a 2-worker layout must use both). */
    private static long sinkWorkers(BenchConnectCluster cluster, String name) {
        List<String> workers = new ArrayList<>();
        new ConnectRestClient(cluster.url()).status(LiveDrain.sinkName(name)).path("tasks")
                .forEach(task -> workers.add(task.path("worker_id").asText()));
        return workers.stream().distinct().count();
    }

    /** The round's {@code app_events} in S3: as many rows as events and as many distinct event ids, or what differs. */
    private String exactlyOnce(StackConfig stack, String name, Path logs) throws Exception {
        LiveDrain.LakeCount lake = LiveDrain.lakeCount(stack, name, logs);
        return lake.exactly(backlog.events) ? String.format("every event exactly once (%,d rows, %,d ids)", lake.rows(), lake.eventIds())
                : String.format("%,d rows and %,d distinct event ids for %,d events", lake.rows(), lake.eventIds(), backlog.events);
    }

    private void report(PrintWriter out, List<Layout> distinct, Map<Layout, Rounds> rates, Map<Layout, Rounds> cpu,
            Map<Layout, Rounds> steadyCpu, List<String> failures) {
        Layout base = distinct.get(0);
        out.printf("%nFrom a backlog of %,d %s events (%d partitions) to every row durable in S3, %s, median (min - max):%n",
                backlog.events, backlog.fixture, partitions, backlog.roundsCounted());
        for (Layout layout : distinct) {
            out.printf("  %-5s %-38s %s events/s, %s CPU-seconds per 1,000 events%s%n", layout, layout.describe() + ":",
                    rates.get(layout).summary("%,.0f"), cpu.get(layout).summary("%.3f"),
                    layout.equals(base) ? " (baseline)" : ", CPU per event / " + base + " round by round: "
                            + Rounds.ratio(cpu.get(layout), cpu.get(base)).summary("%.2f"));
        }
        out.println("  (CPU: the streams apps' and Connect workers' JVMs plus the stack's server processes while the layout ran,");
        out.println("   start-up, JIT and rebalances included: each extra JVM adds its own.)");
        out.println("In the steady window (from a quarter to nine tenths of the backlog in the lake topics), CPU-seconds per 1,000 events:");
        for (Layout layout : distinct) {
            out.printf("  %-5s %s%s%n", layout, steadyCpu.get(layout).summary("%.3f"), layout.equals(base) ? " (baseline)"
                    : ", / " + base + " round by round: " + Rounds.ratio(steadyCpu.get(layout), steadyCpu.get(base)).summary("%.2f")
                    + " (target at most 1.10)");
        }
        if (failures.isEmpty()) {
            out.println("Exactly once: every layout's lake held every event once, in every round.");
        } else {
            out.println("NOT exactly once:");
            failures.forEach(f -> out.println("  " + f));
        }
    }
}
