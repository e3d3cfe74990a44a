package io.tributary.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.connect.s3.metrics.SinkMetrics;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The monitoring kit passes Prometheus' own checks: promtool validates the scrape config and the
 * alert rules and runs the rules' unit tests (alerts-test.yml: synthetic series that must and must
 * not fire each alert). The dashboard and the JMX exporter rules are checked statically here, and
 * against running instances by DistributionsIT. promtool comes with Debian's prometheus package; as root the test installs it.
 */
class MonitoringKitTest {
    private static String promtool;

    @BeforeAll
    static void findOrInstallPromtool() throws Exception {
        promtool = onPath("promtool");
        if (promtool == null && "root".equals(System.getProperty("user.name"))) {
            run(List.of("apt-get", "update", "-q"));
            run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "prometheus"));
            promtool = onPath("promtool");
        }
        if (promtool == null) {
            fail("promtool is not on PATH: install it (Debian/Ubuntu: sudo apt-get install prometheus; elsewhere the "
                    + "prometheus release archive from https://prometheus.io/download/ holds it) and run the test again");
        }
    }

    @Test
    void scrapeConfigIsValid() throws Exception {
        assertThat(promtool("check", "config", MonitoringKit.DIR.resolve("prometheus.yml").toString()))
                .contains("SUCCESS: 1 rule files found", "is valid prometheus config file syntax");
    }

    @Test
    void alertRulesAreValidAndTheirTestsPass() throws Exception {
        assertThat(promtool("check", "rules", MonitoringKit.ALERTS.toString())).contains("SUCCESS: 12 rules found");
        assertThat(promtool("test", "rules", MonitoringKit.DIR.resolve("alerts-test.yml").toString())).contains("SUCCESS");
    }

    @Test
    void rulesAndDashboardReadTheMetricsByTheirServedNames() {
        // DistributionsIT checks these against a running app's /metrics and a running worker's JMX exporter.
        Map<MonitoringKit.Source, Set<String>> names = MonitoringKit.exportedMetricNames();
        assertThat(names.get(MonitoringKit.Source.APP)).containsExactly("kafka_consumer_fetch_manager_records_lag_max",
                "tributary_build_info", "tributary_event_time_lag_seconds_bucket", "tributary_records_dead_lettered_total",
                "tributary_records_in_total", "tributary_streams_running");
        assertThat(names.get(MonitoringKit.Source.CONNECT)).containsExactly("debezium_metrics_Connected",
                "debezium_metrics_MilliSecondsBehindSource", "debezium_metrics_SnapshotRunning",
                "debezium_metrics_TotalNumberOfCreateEventsSeen", "debezium_metrics_TotalNumberOfDeleteEventsSeen",
                "debezium_metrics_TotalNumberOfUpdateEventsSeen", "kafka_connect_worker_connector_failed_task_count",
                "kafka_consumer_fetch_manager_records_lag_max", "tributary_sink_buffered_bytes", "tributary_sink_open_files",
                "tributary_sink_records_skipped_on_recovery_total", "tributary_sink_rotations_total",
                "tributary_sink_uncommitted_records", "tributary_sink_upload_failures_total", "tributary_sink_upload_time_ms_max",
                "tributary_sink_upload_time_ms_total", "tributary_sink_uploaded_bytes_total", "tributary_sink_uploads_total",
                "tributary_sink_version");
    }

    /** Grafana imports the dashboard with any Prometheus data source: every query goes through the variable. */
    @Test
    void dashboardQueriesThePrometheusDataSourceVariable() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(MonitoringKit.DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("tributary-pipeline");
        assertThat(dashboard.path("templating").path("list").get(0).path("type").asText()).isEqualTo("datasource");
        Set<Integer> ids = new HashSet<>();
        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                assertThat(target.path("expr").asText()).isNotBlank();
                queries++;
            }
        }
        assertThat(queries).isEqualTo(MonitoringKit.expressions().size() - 12);
    }

    /**
     * The dashboard shows every metric the sink registers (SinkMetrics' names, as the JMX exporter rules
     * rename them), except the windowed average upload time: it divides the totals instead.
     */
    @Test
    void dashboardShowsEverySinkMetric() throws Exception {
        Set<String> expected = new TreeSet<>();
        for (Field f : SinkMetrics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String name = (String) f.get(null);
                if (!name.equals(SinkMetrics.UPLOAD_TIME_AVG)) {
                    expected.add(name.equals(SinkMetrics.BUILD_INFO) ? "tributary_sink_version" : "tributary_sink_" + name.replace('-', '_'));
                }
            }
        }
        assertThat(expected).hasSize(11);
        Set<String> onDashboard = new TreeSet<>(MonitoringKit.exportedMetricNames().get(MonitoringKit.Source.CONNECT));
        onDashboard.removeIf(n -> !n.startsWith("tributary_sink_"));
        assertThat(onDashboard).isEqualTo(expected);
        assertThat(new Yaml().<Map<String, Object>>load(Files.readString(MonitoringKit.DIR.resolve("jmx-exporter/connect.yaml"))))
                .containsKey("rules");
    }

    /** Runs promtool in ops/monitoring; fails with its output unless it exits 0. */
    private static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(promtool));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(MonitoringKit.DIR.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
        return out;
    }

    private static String onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, tool);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = builder.start();
        if (p.waitFor() != 0) {
            fail(String.join(" ", command) + " failed (exit " + p.exitValue() + "); install Prometheus' promtool by hand");
        }
    }
}
