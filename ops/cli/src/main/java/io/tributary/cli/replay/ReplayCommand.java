package io.tributary.cli.replay;

import io.tributary.cli.aws.AwsOptions;
import io.tributary.cli.common.Background;
import io.tributary.cli.common.CliError;
import io.tributary.cli.common.KafkaClients;
import io.tributary.cli.common.PipelineSettings;
import io.tributary.cli.common.SettingDefaults;
import io.tributary.cli.common.Settings;
import io.tributary.cli.common.WorkDirs;
import io.tributary.cli.compact.DerivedViews;
import io.tributary.cli.dashboards.RebuildCommand;
import io.tributary.cli.lake.LakeOptions;
import io.tributary.cli.lake.WorkDir;
import io.tributary.lake.store.S3Storage;
import io.tributary.lake.store.WriteCondition;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.time.RawTime;
import io.tributary.streams.TributaryTopology;
import io.tributary.streams.config.LakeTopics;
import io.tributary.streams.config.PipelineConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * `tributary replay`: reprocesses the source records of a range of hours through the live
 * topology (as configured now) and replaces what the lake holds for those hours, while the live
 * pipeline keeps running. The protocol is in {@link ReplayCut} and {@link HourRewrite}; README "Replay".
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reprocess a range of hours of one lake table with today's pipeline configuration and replace "
                + "those hours in the lake (the live pipeline keeps running). Running it again gives the same objects.",
                "Exit code: 0 replayed (or nothing to change), 1 an hour was refused."})
public final class ReplayCommand implements Callable<Integer> {
    private static final int PART_BYTES = 8 * 1024 * 1024;
    /** The start of the replay's last line, its JVM's cost ({@link #jvmCost}). */
    public static final String JVM_COST = "replay JVM: ";
    /**
     * A CDC replay first reads the hour before its range ({@link HourReplayer#warmUp}); from Kafka it
     * reads from that hour's start (a change's Kafka timestamp is at or after its commit time).
     */
    private static final long CDC_WARM_UP_MS = Duration.ofHours(1).toMillis();

    @Option(names = "--table", required = true,
            description = "The lake table: app_events, or a CDC table (transactions, masters: any table of cdc.topics).")
    String table;

    @Option(names = "--from", required = true, paramLabel = "HOUR", description = "First hour, UTC, e.g. 2026-11-01T00.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "HOUR", description = "The hour after the last, e.g. 2026-12-01T00.")
    String to;

    @Option(names = "--source", defaultValue = "kafka",
            description = "Where the source records come from: kafka (the topic, within its retention) or archive "
                    + "(the raw archive under <prefix>/_raw/) (default ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--dry-run", description = "Print the hours, objects and bytes it would replace and what it would read; change nothing.")
    boolean dryRun;

    @Mixin
    PipelineSettings pipelineSettings;

    @Option(names = "--sink-connector", defaultValue = "tributary-lake-sink",
            description = "The live lake sink connector, whose progress the replay waits for (default ${DEFAULT-VALUE}).")
    String sinkConnector;

    @Option(names = "--archive-connector", defaultValue = "tributary-raw-archive",
            description = "The raw archive connector, for --source archive (default ${DEFAULT-VALUE}).")
    String archiveConnector;

    @Option(names = "--wait", defaultValue = "5m",
            description = "How long to wait for the live sink to reach the replay's cut, and per hour for its files from "
                    + "before the cut to become final (default ${DEFAULT-VALUE}).")
    Duration wait;

    @Option(names = "--allow-drop",
            description = "Drop old rows of an hour that the replay does not reproduce (their source record is missing) "
                    + "instead of refusing the hour.")
    boolean allowDrop;

    @Option(names = "--parallelism", defaultValue = "1", paramLabel = "N",
            description = "In-process pipelines sharing the records, and hours swapped at once (default ${DEFAULT-VALUE}; "
                    + "a CDC table has one pipeline: its de-duplication state carries from record to record).")
    int parallelism;

    @Option(names = "--accept-history-gap",
            description = "Replay even though the master history no longer starts at its first change (retention deleted "
                    + "the beginning): events may then be enriched with the earliest name still known, or none.")
    boolean acceptHistoryGap;

    @Mixin
    LakeOptions lake;

    @Mixin
    WorkDir workDir;

    @Mixin
    AwsOptions aws;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!List.of("kafka", "archive").contains(source)) {
            throw new CliError("--source " + source + " is not kafka or archive");
        }
        HourRange range = HourRange.parse(from, to);
        if (parallelism < 1) {
            throw new CliError("--parallelism " + parallelism + " must be at least 1");
        }
        // Building the S3 client loads much of the AWS SDK: on a thread of its own while the configuration loads.
        try (Background<S3Client> s3 = Background.start("replay-s3-client", () -> lake.s3(aws))) {
            return replay(range, s3, out);
        }
    }

    private int replay(HourRange range, Background<S3Client> s3, PrintWriter out) throws Exception {
        PipelineConfig pipeline = pipelineConfig(SettingDefaults.of(spec), range);
        LakeTopics topics = LakeTopics.of(pipeline);
        boolean events = table.equals(topics.eventsTable());
        String topic = events ? topics.events() : topics.cdcTopicsByTable().get(table);
        if (topic == null) {
            throw new CliError("no lake table " + table + " in the pipeline's configuration; tables: " + tables(topics));
        }
        String group = pipeline.getString(PipelineConfig.APPLICATION_ID) + (events ? "" : TributaryTopology.CHANGES_APP_SUFFIX);
        long lookBackMs = events ? pipeline.maxFutureMs() : CDC_WARM_UP_MS;
        String id = id(table, range, source);
        LakePath paths = new LakePath(lake.prefix());
        Path work = workDir.dir("replay").resolve(id);
        Map<String, Object> kafka = KafkaClients.properties(pipeline);
        if (dryRun) {
            try (S3Storage store = new S3Storage(s3.get(), lake.bucket(), PART_BYTES, "", "");
                 Admin admin = KafkaClients.admin(kafka)) {
                // What the cut would be now: the streams app's committed offsets (archive: everything archived so far).
                Map<Integer, Long> committed = new ReplayCut(store, paths, admin, kafka).committed(topic, group);
                try (RawSource read = source.equals("archive") ? new ArchiveSource(store, paths, topic, Map.of(), work, null)
                        : new KafkaSource(kafka, topic, committed, lookBackMs, rawTime(events, pipeline), null)) {
                    new DryRun(store, paths, table, out).print(range, read);
                }
                return 0;
            }
        }
        WorkDirs.deleteRecursively(work); // a crashed run's files: the plan in S3 is all a resumed replay needs
        if (!events && parallelism > 1) {
            out.println("--parallelism " + parallelism + ": one pipeline all the same (a CDC table's de-duplication state "
                    + "carries from record to record); hours are swapped " + parallelism + " at once");
        }
        try (StartingPipelines starting = new StartingPipelines(pipeline, table, events ? parallelism : 1, work);
             S3Storage store = new S3Storage(s3.get(), lake.bucket(), PART_BYTES, "", "");
             Admin admin = KafkaClients.admin(kafka)) {
            ReplayPlan cut = resumeOrCut(store, paths, admin, kafka, id, range, topic, topics.lake(table), group,
                    events ? pipeline : null, out);
            RowIdentity identity = events ? RowIdentity.events() : RowIdentity.cdc();
            try (RawSource raw = source(store, paths, kafka, cut, rawTime(events, pipeline), identity.sourceLeaf(), lookBackMs,
                    work)) {
                HourReplayer replayer = new HourReplayer(starting.get(), identity, work, out);
                ReplayPlan plan;
                HourReplayer.History history = new HourReplayer.History(0, List.of());
                if (events && cut.source().equals("kafka")) {
                    // Kafka holds the master history up to the cut's ends already: it loads while the replay waits
                    // for the live sink (the archive holds it only once caught up).
                    ExecutorService loader = Executors.newSingleThreadExecutor();
                    try {
                        Future<HourReplayer.History> loading = loader.submit(() -> replayer.history(raw, cut.history()));
                        plan = caughtUp(store, paths, admin, kafka, cut, topics.lake(table), out);
                        history = Tasks.get(loading);
                    } finally {
                        loader.shutdownNow();
                    }
                } else {
                    plan = caughtUp(store, paths, admin, kafka, cut, topics.lake(table), out);
                    if (events) {
                        history = replayer.history(raw, plan.history());
                    }
                }
                if (!events) {
                    replayer.warmUp(LakePath.hourOf(range.from().startMillis() - CDC_WARM_UP_MS), raw);
                }
                if (!history.gaps().isEmpty() && !acceptHistoryGap) {
                    throw new CliError("the master history " + (plan.source().equals("archive") ? "in the archive" : "in Kafka")
                            + " does not start at the first change: " + String.join("; ", history.gaps()) + ". Masters changed "
                            + "only before then would be unknown or get the earliest name still known, not the name valid at "
                            + "the event's time. Replay from the source that holds the whole history (--source archive, if the "
                            + "archive started with the pipeline), or take a new Debezium snapshot of the masters and pass "
                            + "--accept-history-gap. Nothing was replaced");
                }
                List<HourReplayer.HourRead> reads = replayer.read(range, raw);
                HourRewrite rewrite = new HourRewrite(store, work.resolve("rewrite"), identity, plan.cutTime(), plan.caughtUpTime(),
                        allowDrop);
                ReplaySummary summary = new HourSwaps(store, paths, table, id, rewrite, replayer, work, wait)
                        .swap(range, reads, parallelism, out);
                summary.print(out);
                new DerivedViews(store, paths, work.resolve("derived"), RebuildCommand.refresher(s3.get(), lake, workDir.dir("lake-mirror"),
                        pipeline), Clock.systemUTC()).onRowsReplaced(table, range.hours()).forEach(out::println);
                if (summary.refused() == 0) { // the same command run again takes a new cut
                    store.put(paths.replayKey(id, ReplayPlan.KEY), plan.finished(Instant.now()).toJson(), WriteCondition.NONE);
                }
                out.println(jvmCost());
                return summary.refused() == 0 ? 0 : 1;
            }
        } finally {
            WorkDirs.deleteRecursively(work);
        }
    }

    /** The plan of an unfinished run of this replay, or a new cut (not yet caught up). */
    private ReplayPlan resumeOrCut(S3Storage store, LakePath paths, Admin admin, Map<String, Object> kafka, String id,
            HourRange range, String topic, String lakeTopic, String group, PipelineConfig enriching, PrintWriter out)
            throws IOException {
        String planKey = paths.replayKey(id, ReplayPlan.KEY);
        Optional<byte[]> existing = store.get(planKey).map(v -> v.content());
        ReplayPlan plan = existing.isPresent() ? ReplayPlan.fromJson(existing.get()) : null;
        if (plan != null && plan.finishedAt() == null) {
            out.printf("resuming replay %s: cut taken at %s%n", id, plan.cutAt());
        } else {
            List<String> history = new ArrayList<>(); // the master tables' topics, for an events table's enrichment
            if (enriching != null) {
                LakeTopics topics = LakeTopics.of(enriching);
                enriching.lookups().forEach(l -> history.add(topics.cdcTopicsByTable().get(l.table())));
            }
            plan = new ReplayCut(store, paths, admin, kafka).take(id, table, range, source, topic, lakeTopic, group,
                    history.stream().distinct().sorted().toList());
            store.put(planKey, plan.toJson(), WriteCondition.NONE);
            out.printf("replay %s: cut at %s, offsets %s of %s%n", id, plan.cutAt(), plan.cut(), topic);
        }
        out.flush();
        return plan;
    }

    /** The plan once the live sink holds every lake row from below the cut (at once when it did already). */
    private ReplayPlan caughtUp(S3Storage store, LakePath paths, Admin admin, Map<String, Object> kafka, ReplayPlan plan,
            String lakeTopic, PrintWriter out) throws IOException {
        if (plan.caughtUpAt() != null) {
            return plan;
        }
        ReplayPlan caughtUp = new ReplayCut(store, paths, admin, kafka).waitForLive(plan, lakeTopic, sinkConnector, archiveConnector,
                wait, out);
        store.put(paths.replayKey(plan.id(), ReplayPlan.KEY), caughtUp.toJson(), WriteCondition.NONE);
        out.flush();
        return caughtUp;
    }

    private static RawSource source(S3Storage store, LakePath paths, Map<String, Object> kafka, ReplayPlan plan, RawTime time,
            String idLeaf, long maxFutureMs, Path work) {
        if (plan.source().equals("archive")) {
            return new ArchiveSource(store, paths, plan.topic(), plan.cut(), work.resolve("archive"), idLeaf);
        }
        return new KafkaSource(kafka, plan.topic(), plan.cut(), maxFutureMs, time, idLeaf);
    }

    /**
     * The JVM's age and CPU time, the cost of the replay when it runs as the CLI does, in a JVM of its
     * own (start-up and class loading included): {@value #JVM_COST}12.3 s since it started, 20.45 CPU-seconds.
     */
    private static String jvmCost() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, "%s%.1f s since it started, %.2f CPU-seconds", JVM_COST,
                ManagementFactory.getRuntimeMXBean().getUptime() / 1e3, os.getProcessCpuTime() / 1e9);
    }

    /** A source record's lake time, as the raw archive files it: the event time (events) or the commit time (CDC). */
    private static RawTime rawTime(boolean events, PipelineConfig pipeline) {
        return events ? RawTime.events(pipeline.eventTimeField(), pipeline.minEventTimeMs(), pipeline.maxFutureMs()) : RawTime.debezium();
    }

    /**
     * The streams app's configuration, with the master history kept back to the range's start: the live
     * app's retention counts back from the newest master change, and beyond it gives current names.
     */
    private PipelineConfig pipelineConfig(Settings settings, HourRange range) throws IOException {
        PipelineConfig live = pipelineSettings.load(settings, Map.of());
        long reach = System.currentTimeMillis() - range.from().startMillis() + Duration.ofDays(1).toMillis();
        if (live.historyRetention().toMillis() >= reach) {
            return live;
        }
        return pipelineSettings.load(settings, Map.of(PipelineConfig.HISTORY_RETENTION_MS, Long.toString(reach)));
    }

    private static String tables(LakeTopics topics) {
        List<String> names = new ArrayList<>(List.of(topics.eventsTable()));
        names.addAll(topics.cdcTopicsByTable().keySet().stream().sorted().toList());
        return String.join(", ", names);
    }

    /** The same command names the same replay (and resumes its plan): a hash of what it replays. */
    static String id(String table, HourRange range, String source) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((table + "|" + range.from() + "|" + range.to() + "|" + source)
                    .getBytes(StandardCharsets.UTF_8));
            return table + "-" + range.from() + "-" + HexFormat.of().formatHex(hash).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

}
