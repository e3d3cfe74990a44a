package io.tributary.dev.demo;

import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.connectors.ApplyCommand;
import io.tributary.cli.connectors.ConnectorFile;
import io.tributary.dashboard.auth.Passwords;
import io.tributary.dev.dashboard.DashboardProcess;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.StackException;
import io.tributary.devstack.s3.LocalS3;
import io.tributary.streams.PipelinePlan;
import io.tributary.streams.TributaryStreamsApp;
import io.tributary.streams.config.DashboardSettings;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The demo's moving parts on a running stack: the shop database, the connectors, the streams app,
 * application events and database changes while it runs, and the wait until everything sent is
 * in S3. {@code tributary demo} and the end-to-end test both drive it.
 */
public final class DemoRun implements AutoCloseable {
    public static final String EVENTS_TOPIC = "app.events";
    public static final String APPLICATION_ID = "tributary-demo";
    public static final String SINK_CONNECTOR = "tributary-lake-sink";
    public static final long RENAMED_MASTER = 1;
    public static final String NEW_NAME = "公式ウェブサイト";
    /** No events this long before and after the rename. */
    public static final Duration RENAME_QUIET = Duration.ofSeconds(3);
    /** The one user of the demo's dashboard page; its password is made afresh for each run. */
    public static final String DASHBOARD_USER = "demo";

    private final StackConfig stack;
    private final Path connectorDir;
    private final PrintWriter out;
    private final int dashboardPort;
    private final Clock clock = Clock.systemUTC();
    private final ShopTransactions transactions = new ShopTransactions();
    private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private final Instant startedAt = Instant.now();
    private Admin admin;
    private io.tributary.streams.config.PipelineConfig pipelineConfig;
    private ShopDatabase db;
    private TributaryStreamsApp app;
    private EventSender sender;
    private LakeProgress progress;
    private S3Client s3;
    private FreshnessProbe freshness;
    private DashboardProcess dashboard;
    private String dashboardPassword;
    private Instant renamedAt;

    /** {@code dashboardPort}: where the dashboard page listens (0: any free port). */
    public DemoRun(StackConfig stack, Path connectorDir, int dashboardPort, PrintWriter out) {
        this.stack = stack;
        this.connectorDir = connectorDir;
        this.dashboardPort = dashboardPort;
        this.out = out;
    }

    /**
     * Creates the database and the pipeline's source topics, starts the streams app (which creates
     * the lake topics), then deploys the connectors, so that the sink finds every lake topic at once.
     */
    public void setUp() throws Exception {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
        step("Creating the shop database in MariaDB (masters with Japanese names, users, transactions)");
        db = ShopDatabase.connect(stack.jdbcUrl(), StackConfig.DB_ADMIN_USER, StackConfig.DB_ADMIN_PASSWORD);
        db.create();
        // The pipeline's source topics, created up front: Debezium creates a table's topic only with
        // its first change, and the streams app waits for all of them.
        pipelineConfig = PipelineRunner.config(stack, APPLICATION_ID, Map.of());
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new java.util.ArrayList<>();
        for (String topic : concat(EVENTS_TOPIC, pipelineConfig.cdcTopics())) {
            if (!existing.contains(topic)) {
                missing.add(new NewTopic(topic, 3, (short) 1));
            }
        }
        admin.createTopics(missing).all().get();
        step("Starting the streams app (it creates the lake topics)");
        startPipeline();
        startDashboard();
        step("Deploying the connectors of " + connectorDir + " (local environment)");
        ApplyCommand.apply(ConnectorFile.load(connectorDir, "local"), stack.connectUrl(), Duration.ofMinutes(2), out);
        progress = new LakeProgress(admin, stack.bootstrapServers(), pipelineConfig.lakeTopicPrefix(), SINK_CONNECTOR, APPLICATION_ID);
        awaitMastersLoaded();
        sender = new EventSender(stack.bootstrapServers(), EVENTS_TOPIC, eventIdPrefix(), 40, clock);
        s3 = LocalS3.client(stack);
    }

    /**
     * Starts measuring the events' freshness for {@link #freshness()}: a thread that lists and reads the
     * lake's new objects four times a second. Only the demo's report asks for it; the benches leave it
     * off, as its reads would be load on the pipeline they measure.
     */
    public void measureFreshness() throws Exception {
        freshness = FreshnessProbe.ofEvents(s3, stack.bucket(), pipelineConfig.eventsTable(), sender::sentAt, clock);
        freshness.start();
    }

    /**
     * Starts the dashboard page on the aggregate topics the streams app just created, with a password
     * made for this run: it is printed once and only its hash reaches the page's process.
     */
    private void startDashboard() throws Exception {
        DashboardSettings dashboards = pipelineConfig.dashboards();
        if (dashboards.aggregates().isEmpty()) {
            return;
        }
        step("Starting the dashboard page (a JVM of its own; log: " + stack.logDir().resolve("dashboard.log") + ")");
        byte[] secret = new byte[15];
        new SecureRandom().nextBytes(secret);
        dashboardPassword = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        try {
            dashboard = new DashboardProcess(stack.bootstrapServers(), dashboards.topicPrefix(), dashboards.displayZone(), dashboardPort,
                    DASHBOARD_USER, Passwords.hash(dashboardPassword.toCharArray()), stack.logDir().resolve("dashboard.log"));
        } catch (StackException e) {
            throw new StackException(e.getMessage() + " (`demo --dashboard-port` chooses the port)", e);
        }
        out.printf("    Dashboard: %s  (live while the demo runs) user %s, password %s (made for this run, not stored)%n",
                dashboard.url(), DASHBOARD_USER, dashboardPassword);
        out.flush();
    }

    /**
     * Waits until Debezium's snapshot of the masters has gone through the streams app, so that the
     * first events already find their source types (an event that comes first is enriched with
     * nulls and an {@code _enrichment} miss, by design).
     */
    private void awaitMastersLoaded() throws Exception {
        step("Waiting for Debezium's snapshot of the masters to reach the streams app");
        String mastersTopic = pipelineConfig.cdcTopics().stream().filter(t -> t.endsWith(".masters")).findFirst()
                .orElseThrow(() -> new StackException("cdc.topics of " + TributaryHome.pipelineConfig() + " lists no masters table"));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (progress.records(mastersTopic) < ShopDatabase.MASTERS.size() || progress.snapshot().streamsLag() > 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new StackException("The masters snapshot did not reach " + mastersTopic + " within 2 minutes; "
                        + "see `./tributary connectors status`");
            }
            Thread.sleep(500);
        }
    }

    /** Starts the streams app and waits until it runs. */
    public void startPipeline() throws Exception {
        app = new TributaryStreamsApp(pipelineConfig);
        app.start();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (app.state() != KafkaStreams.State.RUNNING) {
            if (app.state() == KafkaStreams.State.ERROR || Instant.now().isAfter(deadline)) {
                throw new StackException("The streams app did not reach RUNNING (state " + app.state()
                        + "); see the log above");
            }
            Thread.sleep(200);
        }
    }

    public void stopPipeline() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    /**
     * Sends {@code eventsPerSecond} events and changes transactions every second for
     * {@code duration}; renames a master halfway; prints a progress line every two seconds.
     * {@code everySecond} gets each elapsed second once (the end-to-end test injects faults there).
     */
    public void drive(Duration duration, int eventsPerSecond, SecondHook everySecond) throws Exception {
        long start = System.nanoTime();
        long total = duration.toMillis() * eventsPerSecond / 1000;
        long nextTick = 0;
        long nextReport = 0;
        boolean halfway = false;
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / eventsPerSecond;
            sleepUntil(due);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            if (!halfway && elapsedMs >= duration.toMillis() / 2) {
                halfway = true;
                renameMaster();
                start += pauseAroundRename().toNanos();
            }
            sender.sendOne();
            if (elapsedMs >= nextTick) {
                long hookStarted = System.nanoTime();
                everySecond.at((int) (nextTick / 1000));
                start += System.nanoTime() - hookStarted; // a fault that took a while does not count as sending time
                transactions.step(db);
                nextTick += 1000;
            }
            if (elapsedMs >= nextReport) {
                report(elapsedMs);
                nextReport += 2000;
            }
        }
        sender.flush();
    }

    /** Called once per elapsed second of {@link #drive}. */
    @FunctionalInterface
    public interface SecondHook {
        void at(int second) throws Exception;
    }

    /** Waits until every record sent is in S3 (sink committed past it) and the streams app has no lag. */
    public void drain(Duration timeout) throws Exception {
        step("Waiting until everything sent is in S3 (the sink flushes every 10 s)");
        Instant deadline = Instant.now().plus(timeout);
        long started = System.nanoTime();
        while (true) {
            LakeProgress.Snapshot now = progress.snapshot();
            if (now.drained() && now.lakeRecords() > 0) {
                report((System.nanoTime() - started) / 1_000_000);
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StackException("Not everything reached S3 within " + timeout + ": " + describe(now)
                        + "; see `./tributary connectors status` and the logs under the data dir");
            }
            report((System.nanoTime() - started) / 1_000_000);
            Thread.sleep(1000);
        }
    }

    /** One compaction pass over the demo's lake, with the objects of each table-hour before and after ({@link DemoCompaction}). */
    public io.tributary.cli.compact.Compactor.Pass compact() throws Exception {
        step("Compacting the closed hours (one pass of `tributary compact`; the demo's hours close as its load ended)");
        return DemoCompaction.run(stack, s3, clock, out);
    }

    /**
     * Renames a master with no events in the seconds around it, so that every event is clearly
     * before or after the change (MariaDB's commit times have one-second resolution, and the change
     * needs a moment to flow through CDC).
     */
    private void renameMaster() throws SQLException, InterruptedException {
        sender.flush();
        Thread.sleep(RENAME_QUIET.toMillis());
        db.renameMaster(RENAMED_MASTER, NEW_NAME);
        renamedAt = Instant.now();
        out.printf("  renamed master %d to %s%n", RENAMED_MASTER, NEW_NAME);
        Thread.sleep(RENAME_QUIET.toMillis());
    }

    private static Duration pauseAroundRename() {
        return RENAME_QUIET.multipliedBy(2);
    }

    private void report(long elapsedMs) throws Exception {
        LakeProgress.Snapshot now = progress.snapshot();
        out.printf("  [%4ds] events sent %,d (%,d broken) | transaction changes %,d | lake rows in S3 %,d of %,d | streams lag %,d%n",
                elapsedMs / 1000, sender.good() + sender.bad(), sender.bad(), transactions.total(),
                now.inS3(), now.lakeRecords(), now.streamsLag());
        out.flush();
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    private static String describe(LakeProgress.Snapshot s) {
        return s.inS3() + " of " + s.lakeRecords() + " lake records in S3, streams lag " + s.streamsLag();
    }

    private void step(String what) {
        out.println("==> " + what);
        out.flush();
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    /** The streams app's configuration (its salt included), for a command that must run the pipeline as it does. */
    public io.tributary.streams.config.PipelineConfig pipelineConfig() {
        return pipelineConfig;
    }

    public ShopDatabase database() {
        return db;
    }

    public LakeProgress progress() {
        return progress;
    }

    public EventSender sender() {
        return sender;
    }

    /** The shop's transaction changes made so far. */
    public ShopTransactions transactions() {
        return transactions;
    }

    public Instant renamedAt() {
        return renamedAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The probe {@link #measureFreshness()} started; null before. */
    public FreshnessProbe freshness() {
        return freshness;
    }

    /** The live aggregates of the demo's pipeline, checked and completed as the streams app runs them. */
    public DashboardSettings dashboards() {
        return PipelinePlan.of(pipelineConfig).dashboards();
    }

    public StackConfig stack() {
        return stack;
    }

    /** The dashboard page, e.g. http://127.0.0.1:18088/; null when the pipeline declares no aggregates. */
    public String dashboardUrl() {
        return dashboard == null ? null : dashboard.url();
    }

    /** The password of {@link #DASHBOARD_USER} on the page, made for this run (kept in memory only). */
    public String dashboardPassword() {
        return dashboardPassword;
    }

    /**
     * What the dashboard query must return for the events sent: good events per hour and display
     * name, each with the name valid at its time. Keys: {@code <hour start, epoch millis>,<name>}.
     */
    public java.util.Map<String, Long> expectedEventsPerHourAndName() {
        java.util.Map<String, Long> expected = new java.util.TreeMap<>();
        long renamed = renamedAt.toEpochMilli();
        sender.sent().values().forEach(e -> {
            String name = e.sourceTypeId() == RENAMED_MASTER && e.time() > renamed
                    ? NEW_NAME : ShopDatabase.MASTERS.get((int) e.sourceTypeId() - 1)[2];
            expected.merge(e.time() / 3_600_000 * 3_600_000 + "," + name, 1L, Long::sum);
        });
        return expected;
    }

    /** Event ids of this run start with this, so the report can tell them from earlier runs' rows. */
    public String eventIdPrefix() {
        return "evt-" + runId + "-";
    }

    @Override
    public void close() throws Exception {
        stopPipeline();
        for (AutoCloseable c : new AutoCloseable[] {dashboard, sender, progress, freshness, s3, db, admin}) {
            if (c != null) {
                c.close();
            }
        }
    }
}
