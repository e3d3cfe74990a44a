package io.tributary.dev.bench;

import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.common.WorkDirs;
import io.tributary.cli.replay.ReplayCommand;
import io.tributary.dev.stack.StackOptions;
import io.tributary.dev.stack.StackSession;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.connect.ConnectWorker;
import io.tributary.schemas.lake.LakePath;
import io.tributary.testing.AccessLogEvents;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `tributary bench replay`: how fast `tributary replay` rebuilds hours of {@code app_events} next to
 * how fast the live pipeline drains the same events, in the same run, both from the same start (a
 * backlog of events in Kafka) to the same end (every row durable in S3). Each round runs the live
 * pipeline afresh (the streams app in its own JVM under a new application id, and a new lake sink
 * connector on the stack's Connect worker writing to a prefix of its own), then the replay of the
 * hours those events occupy, from Kafka, in its own JVM through the production command, over the
 * rows the live sink just wrote. CPU-seconds per 1,000 events per side: the side's own JVM, plus the
 * stack's server processes (broker, registry, S3 server, Connect worker) while the side ran.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Benchmark `tributary replay` (app_events, from Kafka) against the live pipeline's drain rate "
                + "(streams app and lake sink, from a backlog to every row in S3) on the same events, in the same run.")
public final class BenchReplayCommand implements Callable<Integer> {
    private static final String TABLE = LiveDrain.TABLE;
    /** The replay's progress bar, {@code [####----] 3/10 hours ...}. */
    private static final Pattern PROGRESS = Pattern.compile("\\[[#-]+\\] ");
    /** Under the logs: the replay's class-data archive, recorded by the first round, removed at the end. */
    private static final String CDS_DIR = "cds";
    /** The replay's last line: its JVM's age and CPU time. */
    private static final Pattern JVM_COST = Pattern.compile(Pattern.quote(ReplayCommand.JVM_COST)
            + "[0-9.]+ s since it started, ([0-9.]+) CPU-seconds");

    @Mixin
    StackOptions stackOptions;

    @Mixin
    BacklogOptions backlog;

    /**
     * 400,000 events (`bench scale`: 100,000): a round of 100,000 is mostly fixed costs on both sides
     * (a JVM's start and JIT, the sink's first flush, the replay's cut), which a backfill of a day or a
     * month pays once; BENCHMARKS.md has both sizes.
     */
    @Option(names = "--events", defaultValue = "400000", description = BacklogOptions.EVENTS_HELP)
    void events(int events) {
        backlog.events = events;
    }

    @Option(names = "--parallelism", defaultValue = "2", description = "The replay's --parallelism: hours read at once "
            + "(default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the events topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Spec
    CommandSpec spec;

    private Path logs;
    private StackConfig stack;
    private StackCpu stackCpu;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (StackSession session = StackSession.open(stackOptions, out)) {
            stack = session.config();
            stackCpu = new StackCpu(session.pid());
            String run = BenchStreamsCommand.uniqueName("bench").replace('-', '_');
            String input = run + ".events";
            String mastersTopic = run + ".shop.masters";
            BenchTopics.create(stack, List.of(new NewTopic(input, partitions, (short) 1),
                    new NewTopic(mastersTopic, 1, (short) 1)));
            logs = Files.createTempDirectory("tributary-bench-replay-");
            out.printf("The streams apps and replays run in JVMs of their own; their logs are in %s.%n", logs);
            try {
                Instant before = Instant.now();
                backlog.input().produce(stack, input, mastersTopic, out);
                String from = LakePath.hourOf(AccessLogEvents.benchBase(backlog.events, before).toEpochMilli()).toString();
                String to = LakePath.hourOf(System.currentTimeMillis()).next().toString();
                out.printf("The events lie in the hours %s to %s (exclusive); each round replays those.%n", from, to);
                Rounds live = new Rounds(backlog.rounds);
                Rounds replay = new Rounds(backlog.rounds);
                Rounds liveCpu = new Rounds(backlog.rounds);
                Rounds replayCpu = new Rounds(backlog.rounds);
                LiveDrain liveDrain = new LiveDrain(stack, stackCpu, logs, backlog.events, backlog.masters);
                for (int round = backlog.firstRound(); round <= backlog.rounds; round++) {
                    String name = run + "_r" + round;
                    String label = Rounds.label(round);
                    Map<String, String> settings = BenchInput.pipelineSettings(stack, name, input, mastersTopic);
                    LiveDrain.Drained drained;
                    Side replayed;
                    try {
                        drained = liveDrain.drain(label, name, settings, 1, stack.connectUrl(), Set.of(), out);
                        Path properties = BenchInput.propertiesFile(settings, logs.resolve(name + "-replay.properties"),
                                "tributary bench replay, " + name);
                        replayed = replay(label, name, properties, from, to, out);
                    } finally {
                        LiveDrain.deleteSink(stack.connectUrl(), name);
                    }
                    live.set(round, drained.eventsPerSecond(backlog.events));
                    replay.set(round, replayed.eventsPerSecond());
                    liveCpu.set(round, drained.cpuPerThousand(backlog.events));
                    replayCpu.set(round, replayed.cpuPerThousand());
                    out.printf("  %s: live %,.0f events/s, replay %,.0f events/s, replay / live %.2f; the round's lake: s3://%s/%s/%n",
                            label, live.get(round), replayed.eventsPerSecond(), replayed.eventsPerSecond() / live.get(round),
                            stack.bucket(), name);
                    out.flush();
                }
                report(out, live, replay, liveCpu, replayCpu);
                return 0;
            } finally {
                BenchTopics.deleteRun(stack, run, out);
                WorkDirs.deleteRecursively(logs.resolve(CDS_DIR)); // ~90 MB; the logs stay
            }
        }
    }

    /** A side's rate (source events per second, start to every row durable in S3) and CPU cost. */
    private record Side(double eventsPerSecond, double cpuPerThousand) {
    }

    /**
     * {@code tributary replay} of the hours of the events from Kafka, over the round's lake: the
     * launcher users run ({@code <tributary.home>/tributary}), in a JVM of its own with the options
     * the launcher gives it (its class-data archive, recorded by the first round).
     */
    private Side replay(String label, String name, Path properties, String from, String to, PrintWriter out) throws Exception {
        String sink = LiveDrain.sinkName(name);
        List<String> command = List.of(TributaryHome.root().resolve("tributary").toAbsolutePath().toString(), "replay",
                "--table", TABLE, "--from", from, "--to", to, "--source", "kafka", "--config", properties.toString(),
                "--sink-connector", sink, "--prefix", name, "--parallelism", String.valueOf(parallelism), "--wait", "2m");
        Path log = logs.resolve(name + "-replay.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(ConnectWorker.environment(stack));
        builder.environment().put("TRIBUTARY_WORK_DIR", Files.createDirectories(logs.resolve(name + "-work")).toString());
        builder.environment().put("TRIBUTARY_CDS_DIR", logs.resolve(CDS_DIR).toString());
        long stackCpuBefore = stackCpu.nanos(Set.of());
        long start = System.nanoTime();
        Process replay = builder.start();
        try {
            return follow(label, replay, log, stackCpuBefore, start, out);
        } finally {
            replay.descendants().forEach(ProcessHandle::destroyForcibly);
            replay.destroyForcibly();
        }
    }

    private Side follow(String label, Process replay, Path log, long stackCpuBefore, long start, PrintWriter out) throws Exception {
        LogFollower follower = new LogFollower(log);
        List<String> lines = new ArrayList<>();
        // When each phase's last line appeared (seconds from the start): where the replay's time goes.
        Map<String, Double> phases = new LinkedHashMap<>();
        long stackCpuUsed = 0;
        long end = 0;
        boolean ended = false;
        while (!ended) {
            ended = !replay.isAlive();
            end = System.nanoTime();
            if (!ended) {
                stackCpuUsed = stackCpu.nanos(Set.of(replay.pid())) - stackCpuBefore; // the last reading before the replay ends
            }
            for (String line : follower.newLines()) {
                lines.add(line);
                if (phase(line).isPresent()) {
                    out.printf("  %s replay> %s%n", label, line);
                    out.flush();
                }
                phase(line).ifPresent(p -> phases.put(p, (System.nanoTime() - start) / 1e9));
            }
            Thread.sleep(ended ? 0 : 200);
        }
        double seconds = (end - start) / 1e9;
        if (replay.exitValue() != 0) {
            throw new IllegalStateException(label + " replay exited with code " + replay.exitValue() + "; the end of " + log
                    + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
        Matcher cost = lines.stream().map(JVM_COST::matcher).filter(Matcher::matches).findFirst()
                .orElseThrow(() -> new IllegalStateException(label + " replay did not print its JVM's CPU time; see " + log));
        double replayCpu = Double.parseDouble(cost.group(1));
        out.printf("  %s replay: %,d events replayed into S3 in %.1f s; CPU %.1f s replay + %.1f s stack%n", label, backlog.events,
                seconds, replayCpu, stackCpuUsed / 1e9);
        StringBuilder timeline = new StringBuilder();
        double previous = 0;
        for (Map.Entry<String, Double> p : phases.entrySet()) {
            timeline.append(timeline.length() == 0 ? "" : ", ").append(String.format("%s %.1f s", p.getKey(), p.getValue() - previous));
            previous = p.getValue();
        }
        out.printf("  %s replay phases (as its lines appeared): %s, exit %.1f s%n", label, timeline, seconds - previous);
        return new Side(backlog.events / seconds, (replayCpu + stackCpuUsed / 1e9) * 1000 / backlog.events);
    }

    /**
     * The phase a line of the replay ends, in the order ReplayCommand runs them: JVM start and the cut;
     * the wait for the live sink and the master history; the Kafka read through the topology (its last
     * progress line); Parquet files, uploads and swaps.
     */
    private static Optional<String> phase(String line) {
        if (line.startsWith(ReplayCommand.JVM_COST)) {
            return Optional.empty();
        } else if (line.startsWith("replay ")) {
            return Optional.of("JVM start and cut");
        } else if (line.startsWith("history:")) {
            return Optional.of("wait for the live sink and master history");
        } else if (PROGRESS.matcher(line).lookingAt()) {
            return Optional.of("Kafka read through the topology");
        } else if (line.contains("hours replaced")) {
            return Optional.of("Parquet, upload and swap");
        }
        return Optional.empty();
    }

    private void report(PrintWriter out, Rounds live, Rounds replay, Rounds liveCpu, Rounds replayCpu) {
        out.printf("%nFrom a backlog of %,d %s events to every row durable in S3, %s (replay --parallelism %d), "
                + "median (min - max):%n", backlog.events, backlog.fixture, backlog.roundsCounted(), parallelism);
        out.printf("  live pipeline (streams app + lake sink): %s events/s, %s CPU-seconds per 1,000 events%n",
                live.summary("%,.0f"), liveCpu.summary("%.3f"));
        out.printf("  replay (tributary replay, from Kafka):   %s events/s, %s CPU-seconds per 1,000 events%n",
                replay.summary("%,.0f"), replayCpu.summary("%.3f"));
        out.printf("  replay / live, round by round: %s (target at least 1.5)%n", Rounds.ratio(replay, live).summary("%.2f"));
        out.printf("  CPU per event, replay / live, round by round: %s%n", Rounds.ratio(replayCpu, liveCpu).summary("%.2f"));
        out.println("  (CPU: the side's own JVM plus the stack's server processes while it ran; the machine's other load is not in it.)");
    }
}
