package io.tributary.streams;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.streams.config.DashboardSettings;
import io.tributary.streams.config.LakeTopics;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.config.ServiceSecurity;
import io.tributary.streams.dlq.HandlerDeadLetters;
import io.tributary.streams.dlq.RecordFailure;
import io.tributary.streams.dlq.RefusedRows;
import io.tributary.streams.metrics.MetricsServer;
import io.tributary.streams.metrics.PipelineMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runnable streams app: {@code TributaryStreamsApp [config.properties]}, with TRIBUTARY_*
 * environment overrides. Runs the Kafka Streams applications of {@link TributaryTopology} (the
 * events app under {@code application.id}, the changes app under {@code application.id-cdc}, and,
 * when dashboards.aggregates declares some, the aggregates app under {@code application.id-dash})
 * until SIGTERM/Ctrl-C; an unrecoverable error in any (e.g. an incompatible schema change under
 * the halt policy) stops all, with exit code 1. Bad records never stop it: both apps' exception
 * handlers dead-letter what the topology does not, and a stream thread that stopped because the
 * broker refused a row is replaced, so that its replay dead-letters the row ({@link RefusedRows}).
 */
public final class TributaryStreamsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TributaryStreamsApp.class);

    /**
     * Kafka Streams settings of the events and aggregates apps unless {@code streams.*} sets them.
     * Each of their tasks reads one partition of one topic (the events app's masters come from global
     * stores; each aggregate's stages are joined by repartition topics), so there are no input
     * partitions to wait for each other and task idling has nothing to order: turning it off skips
     * Kafka's per-loop check of that, which formats log lines for every empty partition (7% of the
     * aggregates app's thread at 2,000 events/s).
     */
    public static final Map<String, Object> ONE_INPUT_PER_TASK = Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);

    private final PipelineConfig config;
    private final LakeTopics topics;
    private final DashboardSettings dashboards;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<KafkaStreams> apps;
    private final List<KafkaStreamsMetrics> streamsMetrics;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final RefusedRows refused = new RefusedRows();
    private MetricsServer metricsServer;

    /**
     * Validates the configuration against the contracts and builds the applications; nothing
     * connects to Kafka or listens until {@link #start()}.
     *
     * @throws ConfigException when the configuration does not fit the contracts
     */
    public TributaryStreamsApp(PipelineConfig config) {
        this.config = config;
        PipelinePlan plan = PipelinePlan.of(config);
        topics = plan.topics();
        dashboards = plan.dashboards();
        PipelineMetrics metrics = new PipelineMetrics(registry);
        expectCounters(plan, metrics);
        PipelineMetrics.buildInfo(registry, "streams-app", version());
        // Every topology is built before any app exists: a topology that fails to build leaves nothing to close.
        Topology events = TributaryTopology.events(new StreamsBuilder(), plan, metrics, refused);
        Topology changes = TributaryTopology.changes(new StreamsBuilder(), plan, metrics, refused);
        Topology aggregates = dashboards.aggregates().isEmpty() ? null : TributaryTopology.dashboards(new StreamsBuilder(), plan, metrics);
        HandlerDeadLetters deadLetters = new HandlerDeadLetters(config, metrics, refused);
        String applicationId = config.getString(PipelineConfig.APPLICATION_ID);
        List<KafkaStreams> all = new java.util.ArrayList<>(List.of(app(events, deadLetters, applicationId, ONE_INPUT_PER_TASK, Map.of()),
                app(changes, deadLetters, applicationId + TributaryTopology.CHANGES_APP_SUFFIX, Map.of(), Map.of())));
        if (aggregates != null) {
            // Its own commit interval: under exactly-once, a dashboard sees an aggregate change at the next commit.
            all.add(app(aggregates, deadLetters, applicationId + TributaryTopology.DASHBOARDS_APP_SUFFIX, ONE_INPUT_PER_TASK,
                    Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, dashboards.commitIntervalMs())));
        }
        apps = List.copyOf(all);
        streamsMetrics = apps.stream().map(KafkaStreamsMetrics::new).toList();
        streamsMetrics.forEach(m -> m.bindTo(registry));
        PipelineMetrics.running(registry, () -> state() == KafkaStreams.State.RUNNING);
    }

    /** Every counter of every configured table, lookup and master at zero from the start (alerts and dashboards see them). */
    static void expectCounters(PipelinePlan plan, PipelineMetrics metrics) {
        metrics.expect(plan.topics().eventsTable(), RecordFailure.EVENT_STAGES).expectUnknownFields();
        for (String table : plan.topics().cdcTopicsByTable().keySet()) {
            PipelineMetrics.Table counters = metrics.expect(table, RecordFailure.CDC_STAGES).expectCdc();
            if (!plan.lookupsOf(table).isEmpty()) {
                counters.expectMasterHistory();
            }
        }
        plan.config().lookups().forEach(lookup -> metrics.expectLookup(lookup.name()));
    }

    /** The version in the jar's manifest; "dev" when run from classes (tests, ./tributary from a checkout). */
    static String version() {
        String version = TributaryStreamsApp.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /**
     * Waits for the source topics, creates the lake, dead-letter and aggregate topics, opens the
     * metrics endpoint (when {@code metrics.port} is set) and starts the applications.
     */
    public void start() throws InterruptedException, IOException {
        LakeTopicsProvisioner.ensure(config, topics, dashboards);
        if (config.metricsPort() > 0) {
            metricsServer = new MetricsServer(ServiceSecurity.metricsAddress(config), registry,
                    () -> MetricsServer.Health.of(state()), ServiceSecurity.metricsCredentials(config));
        }
        apps.forEach(KafkaStreams::start);
        LOG.info("Tributary pipeline {} started: events {} and CDC {} to {}*, dead letters to {}, {} aggregates to {}*{}",
                config.getString(PipelineConfig.APPLICATION_ID), topics.events(), topics.cdcTopicsByTable().values(),
                topics.lakePrefix(), topics.deadLetters(), dashboards.aggregates().size(), dashboards.topicPrefix(),
                metricsServer == null ? "" : "; metrics on :" + metricsServer.port() + "/metrics");
    }

    private KafkaStreams app(Topology topology, HandlerDeadLetters deadLetters, String applicationId, Map<String, Object> defaults,
            Map<String, Object> own) {
        Properties props = new Properties();
        props.putAll(defaults);
        props.putAll(config.streamsProperties());
        props.putAll(own);
        props.putAll(deadLetters.streamsProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        KafkaStreams streams = new KafkaStreams(topology, props);
        // Listeners can only be set before start(). Either app failing or stopping stops the pipeline.
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            if (refused.takeRestart(applicationId)) {
                LOG.warn("Replacing a stream thread of {}: it replays from its last commit and dead-letters the row the "
                        + "broker refused", applicationId);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            LOG.error("Stopping the pipeline ({}): {}", applicationId, e.getMessage(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        return streams;
    }

    /**
     * The pipeline's state: the least healthy of its apps' (RUNNING only when all run). ERROR when
     * any failed, so that health checks and the exit code see it.
     */
    public KafkaStreams.State state() {
        return apps.stream().map(KafkaStreams::state).max(Comparator.comparingInt(TributaryStreamsApp::severity))
                .orElseThrow();
    }

    private static int severity(KafkaStreams.State state) {
        return switch (state) {
            case RUNNING -> 0;
            case CREATED, REBALANCING -> 1;
            case PENDING_SHUTDOWN, NOT_RUNNING -> 2;
            case PENDING_ERROR, ERROR -> 3;
        };
    }

    /** Waits until the app has stopped (closed, or failed); false if it still runs after the timeout. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        apps.forEach(a -> a.close(Duration.ofSeconds(60)));
        streamsMetrics.forEach(KafkaStreamsMetrics::close);
        if (metricsServer != null) {
            metricsServer.close();
        }
    }

    public static void main(String[] args) throws Exception {
        TributaryStreamsApp app;
        try {
            app = new TributaryStreamsApp(PipelineConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv()));
        } catch (ConfigException e) {
            System.err.println("error: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "tributary-streams-stop"));
        app.start();
        while (!app.awaitStopped(Duration.ofHours(1))) {
            // runs until SIGTERM/Ctrl-C (the hook closes it) or an unrecoverable error
        }
        System.exit(app.state() == KafkaStreams.State.ERROR ? 1 : 0);
    }
}
