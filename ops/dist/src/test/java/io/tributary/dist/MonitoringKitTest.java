package io.tributary.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitoring kit passes Prometheus' own checks: promtool validates the scrape config and the
 * alert rules and runs the rules' unit tests (alerts-test.yml: synthetic series that must and must
 * not fire each alert). promtool comes with Debian's prometheus package; as root the test installs it.
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
        assertThat(promtool("check", "rules", MonitoringKit.ALERTS.toString())).contains("SUCCESS: 5 rules found");
        assertThat(promtool("test", "rules", MonitoringKit.DIR.resolve("alerts-test.yml").toString())).contains("SUCCESS");
    }

    @Test
    void rulesReadTheAppsMetricsByTheirServedNames() {
        // DistributionsIT checks these against a running app's /metrics.
        assertThat(MonitoringKit.exportedMetricNames()).containsExactly("kafka_consumer_fetch_manager_records_lag_max",
                "tributary_event_time_lag_seconds_bucket", "tributary_records_dead_lettered_total", "tributary_records_in_total",
                "tributary_streams_running");
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
