package io.tributary.e2e;

import static io.tributary.e2e.DashboardsPipeline.HOUR;
import static io.tributary.e2e.DashboardsPipeline.WEB;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dashboard.auth.Passwords;
import io.tributary.dev.dashboard.DashboardProcess;
import io.tributary.testing.Chromium;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import io.tributary.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The live page as a person uses it, in headless Chromium: the page sends to the login, a wrong
 * password is refused, the right one shows a chart per aggregate with the Japanese display names,
 * and events sent to the pipeline change the chart's data through the push stream, without a reload.
 * Without a session the API answers 401. The screenshot is saved under target/dashboard-it/.
 */
@ExtendWith(DevStackExtension.class)
class DashboardPageIT {
    private static final Path OUT = Path.of("target", "dashboard-it");
    private static final String USER = "demo";
    private static final String PASSWORD = "demo-パスワード";
    private static final String WEB_SERIES = "window.__chartData && __chartData.events_per_hour"
            + " && __chartData.events_per_hour.series['" + WEB + "']";

    @BeforeAll
    static void browser() throws Exception {
        Chromium.ensureInstalled(); // before the stack starts, so the test's own time is not the install's
    }

    @Test
    void loginThenTheChartFollowsTheEventsSent(DevStack stack) throws Exception {
        try (DashboardsPipeline p = new DashboardsPipeline(stack);
                DashboardProcess dashboard = new DashboardProcess(stack.config().bootstrapServers(), p.dashPrefix,
                        ZoneId.of("Asia/Tokyo"), FreePorts.one(), USER, Passwords.hash(PASSWORD.toCharArray(), 10_000),
                        OUT.resolve("dashboard.log").toAbsolutePath());
                Chromium browser = Chromium.launch(OUT.toAbsolutePath())) {
            p.event("e1", HOUR.plusSeconds(60), 1, "10.00", "u-1");
            p.flush();
            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"api/aggregates", "api/stream"}) {
                assertThat(http.send(HttpRequest.newBuilder(URI.create(dashboard.url() + path)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as(path + " without a session").isEqualTo(401);
            }

            browser.navigate(dashboard.url());
            assertThat(browser.eval("location.pathname").asText()).as("no session: the login").isEqualTo("/login");
            login(browser, "wrong password");
            assertThat(browser.eval("location.pathname").asText()).isEqualTo("/login");
            assertThat(browser.eval("document.getElementById('error').textContent").asText()).isEqualTo("wrong user or password");
            login(browser, PASSWORD);
            assertThat(browser.eval("location.pathname").asText()).isEqualTo("/");

            String hourX = String.valueOf(HOUR.getEpochSecond());
            String webAtHour = "(() => { const d = __chartData.events_per_hour; const i = d.x.indexOf(" + hourX + ");"
                    + " return i < 0 ? null : d.series['" + WEB + "'][i]; })()";
            browser.waitFor(WEB_SERIES, Duration.ofSeconds(60));
            browser.waitFor(webAtHour + " === 1", Duration.ofSeconds(30));
            browser.waitFor("document.getElementById('status').textContent === 'live'", Duration.ofSeconds(10));
            browser.eval("window.__loaded = true"); // gone if the page reloads: the change must come by push

            long sent = System.nanoTime();
            p.event("e2", HOUR.plusSeconds(120), 1, "20.00", "u-2");
            p.event("e3", HOUR.plusSeconds(180), 1, "30.00", "u-3");
            p.event("e4", HOUR.plusSeconds(240), 2, "5.00", "u-1");
            p.flush();
            browser.waitFor(webAtHour + " === 3", Duration.ofSeconds(30));
            long pushedMs = (System.nanoTime() - sent) / 1_000_000;
            browser.waitFor("__chartData.events_per_hour.series['" + DashboardsPipeline.STORE + "'] !== undefined", Duration.ofSeconds(30));
            assertThat(browser.eval("window.__loaded === true").asBoolean()).as("updated in place, not reloaded").isTrue();
            assertThat(browser.eval("document.querySelectorAll('#chart-events_per_hour canvas').length").asInt()).isPositive();
            assertThat(browser.eval("document.querySelector('#chart-events_per_hour .u-legend').textContent").asText())
                    .contains(WEB).contains(DashboardsPipeline.STORE);
            Path png = OUT.resolve("dashboard.png").toAbsolutePath();
            browser.screenshot(png);
            System.out.printf("Dashboard page: chart changed %d ms after the events were sent; screenshot %s%n", pushedMs, png);
            assertThat(browser.errors()).as("JavaScript errors on the page").isEmpty();
        }
    }

    private static void login(Chromium browser, String password) throws Exception {
        browser.eval("document.getElementById('user').value = '" + USER + "';"
                + "document.getElementById('password').value = '" + password + "'");
        browser.andWaitForLoad(() -> browser.eval("document.getElementById('login').click()"));
    }
}
