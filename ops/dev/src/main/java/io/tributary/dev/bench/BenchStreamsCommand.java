package io.tributary.dev.bench;

import io.tributary.dev.stack.StackOptions;
import io.tributary.dev.stack.StackSession;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.process.JavaProcess;
import io.tributary.devstack.process.ProcessComponent;
import io.tributary.streams.TributaryStreamsApp;
import io.tributary.streams.TributaryTopology;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.dlq.DeadLetter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `tributary bench streams`: the same events through (1) a consume-then-produce pass-through with
 * Kafka Streams' client settings, (2) a Kafka Streams topology that only copies the bytes,
 * exactly-once with the pipeline's Kafka Streams settings, and (3) the Tributary pipeline
 * (exactly-once, parse, flatten, enrich from a global store, Avro), each in its own JVM, on the same
 * broker in the same run, the sides in a random order each round. Ratios are taken round by round
 * (sides measured side by side) and summarised as median and range; CPU-seconds per 1,000 events,
 * from each JVM's own CPU time, are the steadier figure on a shared machine. The copy is the ceiling
 * of any exactly-once Kafka Streams app on that broker and machine, so the ratios split the
 * pipeline's distance from the pass-through into what exactly-once Kafka Streams costs and what the
 * pipeline's own work costs.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Benchmark the streams pipeline against a consume-then-produce pass-through and a Kafka Streams "
                + "exactly-once copy on the local broker, each in its own JVM, in a random order each round.")
public final class BenchStreamsCommand implements Callable<Integer> {
    @Mixin
    StackOptions stackOptions;

    @Option(names = "--events", defaultValue = "200000", description = "Events to push through each (default ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--warmup", defaultValue = "50", description = "Percent of the events that warm the JIT up before "
            + "timing starts, on both sides (default ${DEFAULT-VALUE}).")
    int warmupPercent;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the input topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--rounds", defaultValue = "5", description = "Counted rounds of each side, after one warm-up round; "
            + "ratios are taken per round and summarised as median and range (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--fixture", defaultValue = "ACCESS_LOG", description = "The events: ACCESS_LOG (~400 bytes, "
            + "every field, keys in one order) or WIDE (~1 KB, 32 leaves, keys shuffled, a fifth of the optional fields "
            + "missing) (default ${DEFAULT-VALUE}).")
    BenchInput.Fixture fixture;

    @Option(names = "--masters", defaultValue = "5", description = "Master rows the events refer to, each event to one "
            + "drawn at random; all are restored into the pipeline's global store at start (default ${DEFAULT-VALUE}).")
    int masters;

    @Option(names = "--master-changes", defaultValue = "10", description = "Master rows changed per second while the "
            + "pipeline runs (default ${DEFAULT-VALUE}; 0 for none).")
    int masterChanges;

    @Option(names = "--seed", description = "Seed of the sides' order in each round (default: random, printed).")
    Long seed;

    @Option(names = "--pipeline-property", paramLabel = "KEY=VALUE",
            description = "A pipeline setting for the run, e.g. streams.num.stream.threads=2 (repeatable).")
    Map<String, String> pipelineProperties = new HashMap<>();

    @Option(names = "--jvm-option", paramLabel = "OPTION",
            description = "A JVM option for every side's JVM (repeatable); {side} becomes the side's label, e.g. "
                    + "-XX:StartFlightRecording=filename=/tmp/{side}.jfr to profile each side.")
    List<String> jvmOptions = new ArrayList<>();

    @Spec
    CommandSpec spec;

    /** The run's side logs and properties files. */
    private Path logs;
    private BenchInput feed;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (StackSession session = StackSession.open(stackOptions, out)) {
            StackConfig stack = session.config();
            String run = uniqueName("bench").replace('-', '_');
            String input = run + ".events";
            String mastersTopic = run + ".shop.masters";
            try {
                new PipelineConfig(pipelineSettings(stack, run, input, mastersTopic));
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("error: invalid --pipeline-property: " + e.getMessage());
                return 2;
            }
            BenchTopics.create(stack, List.of(new NewTopic(input, partitions, (short) 1), new NewTopic(mastersTopic, 1, (short) 1)));
            logs = Files.createTempDirectory("tributary-bench-");
            out.printf("Each side runs in its own JVM; their logs are in %s.%n", logs);
            try {
                feed = new BenchInput(fixture, masters, events);
                feed.produce(stack, input, mastersTopic, out);
                long orderSeed = seed != null ? seed : new Random().nextLong();
                Random order = new Random(orderSeed);
                out.printf("Sides run in a random order each round (--seed %d repeats it).%n", orderSeed);
                Map<Side, Rounds> rates = new EnumMap<>(Side.class);
                Map<Side, Rounds> cpu = new EnumMap<>(Side.class);
                Rounds pipelineStart = new Rounds(rounds);
                for (Side side : Side.values()) {
                    rates.put(side, new Rounds(rounds));
                    cpu.put(side, new Rounds(rounds));
                }
                for (int round = 0; round <= rounds; round++) {
                    String name = run + "_r" + round;
                    BenchTopics.create(stack, List.of(new NewTopic(name + ".passthrough", partitions, (short) 1),
                            new NewTopic(name + ".copy", partitions, (short) 1)));
                    Path properties = writePipelineProperties(stack, name, input, mastersTopic);
                    List<Side> sides = new ArrayList<>(List.of(Side.values()));
                    Collections.shuffle(sides, order);
                    for (Side side : sides) {
                        SideResult result = run(side, input, mastersTopic, name, properties, stack, out,
                                Rounds.label(round) + " " + side.label);
                        rates.get(side).set(round, result.eventsPerSecond());
                        cpu.get(side).set(round, result.cpuSecondsPerThousand());
                        if (side == Side.PIPELINE) {
                            pipelineStart.set(round, result.startSeconds());
                        }
                    }
                }
                report(out, rates, cpu, pipelineStart);
                return 0;
            } finally {
                BenchTopics.deleteRun(stack, run, out);
            }
        }
    }

    /** The sides, in the report's order. */
    private enum Side {
        PASS_THROUGH("pass-through (consume -> produce, Streams' client settings)"),
        STREAMS_COPY("kafka streams copy (exactly once, the pipeline's streams settings)"),
        PIPELINE("tributary pipeline");

        final String label;

        Side(String label) {
            this.label = label;
        }
    }

    /** A side's steady-state rate and what each 1,000 events cost its JVM in CPU time. */
    private record SideResult(double eventsPerSecond, double cpuSecondsPerThousand, double startSeconds) {
    }

    private SideResult run(Side side, String input, String mastersTopic, String name, Path properties, StackConfig stack,
            PrintWriter out, String label) throws Exception {
        return switch (side) {
            // The pipeline: the app's own main, under its own application id and lake topics.
            case PIPELINE -> {
                skipMasterSnapshot(stack, name, mastersTopic);
                try (AutoCloseable changes = feed.changeMasters(stack, mastersTopic, masterChanges)) {
                    yield side(label, TributaryStreamsApp.class, List.of(properties.toString()), stack,
                            List.of(name + ".lake.app_events", name + ".dlq"), out);
                }
            }
            case STREAMS_COPY -> side(label, BenchStreamsCopy.class, List.of(properties.toString(), name + ".copy"), stack,
                    List.of(name + ".copy"), out);
            case PASS_THROUGH -> side(label, BenchPassThrough.class, List.of(stack.bootstrapServers(), input,
                    name + ".passthrough"), stack, List.of(name + ".passthrough"), out);
        };
    }

    /**
     * Starts the round's changes app after the masters already in their topic, as a deployed
     * pipeline runs after its first snapshot: otherwise each round's fresh application id would turn
     * every master into a lake row (a million with {@code --masters 1000000}) on the same cores while
     * the events are timed. The enrichment's global store still restores every master at start (the
     * report's start-up), and the changes made during the run flow through the changes app.
     */
    private static void skipMasterSnapshot(StackConfig stack, String name, String mastersTopic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(mastersTopic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(mastersTopic).partitions().stream().map(p -> new TopicPartition(mastersTopic, p.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all()
                    .get(30, TimeUnit.SECONDS).forEach((partition, end) -> ends.put(partition, new OffsetAndMetadata(end.offset())));
            admin.alterConsumerGroupOffsets(name + TributaryTopology.CHANGES_APP_SUFFIX, ends).all().get(30, TimeUnit.SECONDS);
        }
    }

    private void report(PrintWriter out, Map<Side, Rounds> rates, Map<Side, Rounds> cpu, Rounds pipelineStart) {
        out.printf("%nSteady state over %d rounds after a warm-up round (%,d %s events, %,d masters changing %d a second, "
                + "%d partitions; each round times the events after the first %d%%), median (min - max):%n", rounds, events,
                fixture, masters, masterChanges, partitions, warmupPercent);
        for (Side side : Side.values()) {
            out.printf("  %s%n    %s events/s, %s CPU-seconds per 1,000 events%n", side.label,
                    rates.get(side).summary("%,.0f"), cpu.get(side).summary("%.3f"));
        }
        out.printf("  pipeline start-up to its first event out, restoring %,d masters into its global store: %s s%n",
                masters, pipelineStart.summary("%.1f"));
        out.println("Ratios, round by round (the pipeline makes one versioned-store lookup per event):");
        out.printf("  pipeline / streams copy:  %s   (what the pipeline's own work costs)%n",
                Rounds.ratio(rates.get(Side.PIPELINE), rates.get(Side.STREAMS_COPY)).summary("%.2f"));
        out.printf("  pipeline / pass-through:  %s%n",
                Rounds.ratio(rates.get(Side.PIPELINE), rates.get(Side.PASS_THROUGH)).summary("%.2f"));
        out.printf("  streams copy / pass-through: %s   (what exactly-once Kafka Streams costs)%n",
                Rounds.ratio(rates.get(Side.STREAMS_COPY), rates.get(Side.PASS_THROUGH)).summary("%.2f"));
        out.printf("  CPU per event, pipeline / streams copy: %s%n",
                Rounds.ratio(cpu.get(Side.PIPELINE), cpu.get(Side.STREAMS_COPY)).summary("%.2f"));
    }

    /**
     * Runs one side in a JVM of its own, as it would be deployed (sides sharing a JVM deoptimize each
     * other's compiled Kafka client code), and rates it by reading its {@code outputs} back with a
     * {@code read_committed} consumer here, the same observer for every side.
     */
    private SideResult side(String label, Class<?> main, List<String> args, StackConfig stack, List<String> outputs,
            PrintWriter out) throws Exception {
        try (KafkaConsumer<byte[], byte[]> counter = counter(stack, outputs)) {
            OutputCount counted = new OutputCount(counter);
            long start = System.nanoTime();
            String side = label.replaceAll("[^A-Za-z0-9]+", "-");
            List<String> options = new ArrayList<>();
            // The CLI's own logging config prints errors only; a side's log should also hold its warnings.
            options.add("-Dlog4j2.configurationFile=" + ProcessComponent.CHILD_LOG_CONFIG);
            jvmOptions.forEach(o -> options.add(o.replace("{side}", side)));
            JavaProcess process = JavaProcess.start(label, classpath(), options, main.getName(), args, Map.of(),
                    logs.resolve(side + ".log"));
            try {
                SideResult result = measure(out, label, start, () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(label + " exited with code " + process.exitCode() + "; the end of "
                                + process.logFile() + ":\n" + process.logTail(30));
                    }
                    return counted.poll();
                }, () -> cpuNanos(process.pid()));
                counted.requireNoDeadLetters(label);
                return result;
            } finally {
                process.stop(Duration.ofSeconds(60));
            }
        }
    }

    /** What a side has committed to its outputs so far; dead letters are counted, and the first one kept. */
    private static final class OutputCount {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private long records;
        private long deadLetters;
        private String firstDeadLetterError;

        OutputCount(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        long poll() {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                records++;
                Header error = r.headers().lastHeader(DeadLetter.HEADER_PREFIX + "error.message");
                if (error != null) {
                    deadLetters++;
                    if (firstDeadLetterError == null) {
                        firstDeadLetterError = new String(error.value(), StandardCharsets.UTF_8);
                    }
                }
            }
            return records;
        }

        /** Every bench event is valid: a dead letter means the figure is not of the normal path. */
        void requireNoDeadLetters(String side) {
            if (deadLetters > 0) {
                throw new IllegalStateException(side + " dead-lettered " + deadLetters + " of the bench events, so its rate "
                        + "is not of the normal path. The first one's error: " + firstDeadLetterError);
            }
        }
    }

    /**
     * Polls {@code progress} until all events are through, printing progress each second. Returns the
     * steady-state rate and CPU cost: from the moment the warm-up share of the events is through to
     * the last event, so start-up (group join, task assignment) and JIT compilation are not in it.
     */
    private SideResult measure(PrintWriter out, String name, long start, LongSupplier progress, LongSupplier cpuNanos) {
        long warmup = (long) events * warmupPercent / 100;
        long done = 0;
        long firstOut = -1;
        long timedFrom = -1;
        long timedFromCount = 0;
        long cpuFrom = 0;
        long lastPrint = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (done < events) {
            done = progress.getAsLong();
            if (firstOut < 0 && done > 0) {
                firstOut = System.nanoTime();
                out.printf("  %s: first event out after %.1f s (start-up)%n", name, (firstOut - start) / 1e9);
            }
            if (timedFrom < 0 && done >= warmup) {
                timedFrom = System.nanoTime();
                timedFromCount = done;
                cpuFrom = cpuNanos.getAsLong();
            }
            if (System.nanoTime() - lastPrint > 1_000_000_000L) {
                out.printf("  %s: %,d / %,d%n", name, done, events);
                out.flush();
                lastPrint = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not finish within 15 minutes (" + done + " of " + events + ")");
            }
        }
        double seconds = (System.nanoTime() - timedFrom) / 1e9;
        double cpuSeconds = (cpuNanos.getAsLong() - cpuFrom) / 1e9;
        long timed = done - timedFromCount;
        out.printf("  %s: %,d events timed after %,d of warm-up, in %.2f s, %.2f CPU-seconds%n", name, timed, timedFromCount,
                seconds, cpuSeconds);
        return new SideResult(timed / seconds, cpuSeconds * 1000 / timed, (firstOut - start) / 1e9);
    }

    /** CPU time the process has used so far (user and system, all threads), as the OS accounts it. */
    static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos)
                .orElseThrow(() -> new IllegalStateException("The OS does not report the CPU time of process " + pid
                        + "; bench streams needs it (Linux /proc)"));
    }

    /** The pipeline's properties for one round, in a file both the pipeline and the streams copy read. */
    private Path writePipelineProperties(StackConfig stack, String name, String input, String masters) throws Exception {
        return BenchInput.propertiesFile(pipelineSettings(stack, name, input, masters), logs.resolve(name + ".properties"),
                "tributary bench streams, " + name);
    }

    /** The pipeline's settings for one round: the bench's own, then every --pipeline-property. */
    private Map<String, String> pipelineSettings(StackConfig stack, String name, String input, String masters) {
        Map<String, String> p = BenchInput.pipelineSettings(stack, name, input, masters);
        p.putAll(pipelineProperties);
        return p;
    }

    /** Each side's JVM runs on this JVM's classpath (the CLI's, which holds the streams app). */
    static List<Path> classpath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator)).map(Path::of).toList();
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    private static KafkaConsumer<byte[], byte[]> counter(StackConfig stack, List<String> topics) {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", stack.bootstrapServers(),
                "group.id", uniqueName("bench-count"), "auto.offset.reset", "earliest", "max.poll.records", 5000,
                "isolation.level", "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(topics);
        return c;
    }
}
