package io.tributary.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.config.ServiceSecurity;
import io.tributary.streams.metrics.MetricsServer;
import io.tributary.streams.metrics.PipelineMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** What /metrics serves before the first record, and how the endpoint is bound and secured. */
class MetricsEndpointTest {
    private static final Path EXAMPLE = Path.of(System.getProperty("tributary.home", "..")).resolve("streams-app/config/pipeline.properties");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void everyCounterOfEveryConfiguredTableIsServedAtZeroBeforeTheFirstRecord() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PipelineMetrics metrics = new PipelineMetrics(registry);
        TributaryStreamsApp.expectCounters(PipelinePlan.of(PipelineConfig.load(EXAMPLE, Map.of("TRIBUTARY_PII_SALT", "test-salt"))), metrics);
        PipelineMetrics.buildInfo(registry, "streams-app", "1.2.3");
        String text = registry.scrape();
        for (String table : new String[] {"app_events", "masters", "transactions"}) {
            assertThat(text).contains("tributary_records_in_total{table=\"" + table + "\"} 0.0",
                    "tributary_records_out_total{table=\"" + table + "\"} 0.0");
        }
        for (String stage : new String[] {"parse", "limit", "coerce", "validate", "process", "produce"}) {
            assertThat(text).contains("tributary_records_dead_lettered_total{stage=\"" + stage + "\",table=\"app_events\"} 0.0");
        }
        for (String stage : new String[] {"cdc-parse", "cdc-schema", "process", "produce"}) {
            assertThat(text).contains("tributary_records_dead_lettered_total{stage=\"" + stage + "\",table=\"transactions\"} 0.0");
        }
        assertThat(text).contains("tributary_unknown_fields_total{table=\"app_events\"} 0.0",
                "tributary_cdc_duplicates_total{table=\"masters\"} 0.0", "tributary_cdc_tombstones_total{table=\"transactions\"} 0.0",
                "tributary_master_history_skipped_total{table=\"masters\"} 0.0",
                "tributary_enrichment_misses_total{lookup=\"source_type\"} 0.0",
                "tributary_build_info{component=\"streams-app\",version=\"1.2.3\"} 1");
        assertThat(text).doesNotContain("tributary_master_history_skipped_total{table=\"transactions\"}");
    }

    @Test
    void runningIsOneOnlyWhileTheAppRuns() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
        PipelineMetrics.running(registry, running::get);
        assertThat(registry.scrape()).contains("tributary_streams_running 0.0");
        running.set(true);
        assertThat(registry.scrape()).contains("tributary_streams_running 1.0");
    }

    @Test
    void theLagHistogramHasExplicitBucketsFrom50MillisecondsTo10Minutes() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new PipelineMetrics(registry).table("app_events").out(System.currentTimeMillis() - 70);
        String text = registry.scrape();
        long buckets = text.lines().filter(l -> l.startsWith("tributary_event_time_lag_seconds_bucket{")).count();
        assertThat(buckets).isEqualTo(PipelineMetrics.LAG_BUCKETS_SECONDS.length + 1);
        assertThat(text).contains("tributary_event_time_lag_seconds_bucket{le=\"0.05\"} 0",
                "tributary_event_time_lag_seconds_bucket{le=\"0.1\"} 1", "tributary_event_time_lag_seconds_bucket{le=\"600.0\"} 1",
                "tributary_event_time_lag_seconds_bucket{le=\"+Inf\"} 1");
    }

    @Test
    void metricsAskForBasicAuthWhileHealthStaysOpenAndTheDefaultAddressIsLoopback() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("TRIBUTARY_METRICS_PORT", "0", "TRIBUTARY_PII_SALT", "test-salt"));
        assertThat(ServiceSecurity.metricsAddress(PipelineConfig.load(EXAMPLE, env)).getAddress().isLoopbackAddress()).isTrue();
        env.put("TRIBUTARY_METRICS_AUTH_USER", "prometheus");
        assertThatThrownBy(() -> PipelineConfig.load(EXAMPLE, env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.auth.password");
        env.put("TRIBUTARY_METRICS_AUTH_PASSWORD", "scrape-secret");
        PipelineConfig config = PipelineConfig.load(EXAMPLE, env);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PipelineMetrics.buildInfo(registry, "streams-app", "dev");
        try (MetricsServer server = new MetricsServer(ServiceSecurity.metricsAddress(config), registry,
                () -> MetricsServer.Health.of(KafkaStreams.State.RUNNING), ServiceSecurity.metricsCredentials(config))) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(get(base + "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "/metrics", "prometheus:wrong").statusCode()).isEqualTo(401);
            HttpResponse<String> metrics = get(base + "/metrics", "prometheus:scrape-secret");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("tributary_build_info");
            assertThat(get(base + "/health", null).statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(String url, String userInfo) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (userInfo != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
