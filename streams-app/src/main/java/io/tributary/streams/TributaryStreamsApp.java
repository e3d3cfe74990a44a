package io.tributary.streams;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.metrics.MetricsServer;
import io.tributary.streams.metrics.PipelineMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runnable streams app: {@code TributaryStreamsApp [config.properties]}, with TRIBUTARY_*
 * environment overrides. Runs until SIGTERM/Ctrl-C; an unrecoverable error (e.g. an incompatible
 * schema change under the halt policy) stops it with exit code 1.
 */
public final class TributaryStreamsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TributaryStreamsApp.class);

    private final KafkaStreams streams;
    private final MetricsServer metricsServer;
    private final KafkaStreamsMetrics streamsMetrics;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Creates the output topics, builds the topology and starts it. */
    public TributaryStreamsApp(PipelineConfig config) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PipelineMetrics metrics = new PipelineMetrics(registry);
        LakeTopics topics = LakeTopics.of(config);
        LakeTopicsProvisioner.ensure(config, topics);
        Properties props = new Properties();
        props.putAll(config.streamsProperties());
        streams = new KafkaStreams(TributaryTopology.build(new StreamsBuilder(), config, metrics), props);
        // Listeners can only be set before start().
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Stopping the pipeline: {}", e.getMessage(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        metricsServer = config.metricsPort() > 0 ? new MetricsServer(config.metricsPort(), registry, streams::state) : null;
        streams.start();
        LOG.info("Tributary pipeline {} started: events {} and CDC {} to {}*, dead letters to {}{}",
                config.getString(PipelineConfig.APPLICATION_ID), topics.events(), topics.cdcTopicsByTable().values(),
                topics.lakePrefix(), topics.deadLetters(),
                metricsServer == null ? "" : "; metrics on :" + metricsServer.port() + "/metrics");
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Waits until the app has stopped (closed, or failed); false if it still runs after the timeout. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(60));
        streamsMetrics.close();
        if (metricsServer != null) {
            metricsServer.close();
        }
    }

    public static void main(String[] args) throws Exception {
        PipelineConfig config;
        try {
            config = PipelineConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        } catch (ConfigException e) {
            System.err.println("error: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        TributaryStreamsApp app = new TributaryStreamsApp(config);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "tributary-streams-stop"));
        while (!app.awaitStopped(Duration.ofHours(1))) {
            // runs until SIGTERM/Ctrl-C (the hook closes it) or an unrecoverable error
        }
        System.exit(app.streams().state() == KafkaStreams.State.ERROR ? 1 : 0);
    }
}
