package io.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dashboard.auth.Passwords;
import io.tributary.testing.Chromium;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page in headless Chromium against the service fed directly (no stack; DashboardPageIT in
 * ops/e2e runs the same on the real pipeline): the login refuses a wrong password, the chart shows
 * the rows with their Japanese names, and changes arrive by push without a reload. It installs
 * Chromium when missing (as root), otherwise fails saying how; never skipped.
 */
class DashboardPageTest {
    private static final Path OUT = Path.of("target", "dashboard-page").toAbsolutePath();
    private static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
    private static final String PASSWORD = "demo-パスワード";

    @BeforeAll
    static void browser() throws Exception {
        Chromium.ensureInstalled();
    }

    @Test
    void loginThenTheChartFollowsPushedChanges() throws Exception {
        AggregateView view = new AggregateView("dash.");
        view.apply(List.of(record("ウェブサイト", 1)));
        DashboardConfig config = new DashboardConfig(Map.of(DashboardConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1",
                DashboardConfig.PORT, "0", DashboardConfig.USERS, "demo", DashboardConfig.DISPLAY_ZONE, "Asia/Tokyo",
                DashboardConfig.hashKey("demo"), Passwords.hash(PASSWORD.toCharArray(), 1000)));
        try (DashboardServer server = new DashboardServer(config, view, Clock.systemUTC()).start();
                Chromium browser = Chromium.launch(OUT)) {
            browser.navigate("http://127.0.0.1:" + server.port() + "/");
            assertThat(browser.eval("location.pathname").asText()).isEqualTo("/login");
            login(browser, "wrong");
            assertThat(browser.eval("document.getElementById('error').textContent").asText()).isEqualTo("wrong user or password");
            login(browser, PASSWORD);
            assertThat(browser.eval("location.pathname").asText()).isEqualTo("/");
            browser.waitFor("document.getElementById('status').textContent === 'live'", Duration.ofSeconds(10));
            assertThat(at("ウェブサイト", browser)).isEqualTo(1);
            browser.eval("window.__loaded = true");

            view.apply(List.of(record("ウェブサイト", 3), record("実店舗", 2)));
            browser.waitFor(atJs("ウェブサイト") + " === 3", Duration.ofSeconds(5));
            browser.waitFor(atJs("実店舗") + " === 2", Duration.ofSeconds(5));
            assertThat(browser.eval("window.__loaded === true").asBoolean()).as("updated in place").isTrue();
            assertThat(browser.eval("document.querySelector('#chart-events_per_hour .u-legend').textContent").asText())
                    .contains("ウェブサイト").contains("実店舗");
            browser.screenshot(OUT.resolve("dashboard.png"));
            assertThat(browser.errors()).as("JavaScript errors").isEmpty();
        }
    }

    private static long at(String group, Chromium browser) throws Exception {
        return browser.waitFor(atJs(group), Duration.ofSeconds(5)).asLong();
    }

    /** The chart's value of a group at HOUR, or null. */
    private static String atJs(String group) {
        return "(() => { const d = (window.__chartData || {}).events_per_hour; if (!d || !d.series['" + group + "']) return null;"
                + " const i = d.x.indexOf(" + HOUR.getEpochSecond() + "); return i < 0 ? null : d.series['" + group + "'][i]; })()";
    }

    private static void login(Chromium browser, String password) throws Exception {
        browser.eval("document.getElementById('user').value = 'demo'; document.getElementById('password').value = '" + password + "'");
        browser.andWaitForLoad(() -> browser.eval("document.getElementById('login').click()"));
    }

    private static AggregateView.Record record(String group, long events) {
        String bucket = "\"bucket_start\":\"" + HOUR + "\",\"source_type_name\":\"" + group + "\"";
        String key = "{\"schema\":{\"type\":\"struct\"},\"payload\":{" + bucket + "}}";
        String value = "{\"schema\":{\"type\":\"struct\"},\"payload\":{" + bucket + ",\"bucket_end\":\"" + HOUR.plus(1, ChronoUnit.HOURS)
                + "\",\"bucket_zone\":\"Asia/Tokyo\",\"bucket_unit\":\"hour\",\"bucket_label\":\"-\",\"updated_at\":\"" + HOUR
                + "\",\"events\":" + events + ",\"amount\":1.00}}";
        return new AggregateView.Record("dash.events_per_hour", 0, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }
}
