package io.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.dashboard.auth.Passwords;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service in-process on a free port, as a browser or a script talks to it: login, 401s, rows, pushed changes. */
class DashboardServerTest {
    private static final String KEY = "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"bucket_start\":\"2026-12-01T14:00:00Z\","
            + "\"source_type_name\":\"ウェブサイト\"}}";
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final AggregateView view = new AggregateView("dash.");
    private final MutableClock clock = new MutableClock();
    private DashboardServer server;
    private String base;

    @BeforeEach
    void start() {
        DashboardConfig config = new DashboardConfig(Map.of(DashboardConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1",
                DashboardConfig.PORT, "0", DashboardConfig.USERS, "demo",
                DashboardConfig.hashKey("demo"), Passwords.hash("demo-pw".toCharArray(), 1000),
                DashboardConfig.DISPLAY_ZONE, "Asia/Tokyo"));
        server = new DashboardServer(config, view, clock).start();
        base = "http://127.0.0.1:" + server.port();
        view.apply(List.of(record(KEY, row(3, "120.75"))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void withoutASessionNoDataAndThePageSendsToTheLogin() throws Exception {
        for (String path : List.of("/api/aggregates", "/api/aggregates/events_per_hour", "/api/config", "/api/stream")) {
            HttpResponse<String> r = get(path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.body()).as(path).doesNotContain("ウェブサイト");
        }
        assertThat(get("/api/aggregates", "tributary_session=forged").statusCode()).isEqualTo(401);
        HttpResponse<String> page = get("/", null);
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/login");
        assertThat(get("/login", null).body()).contains("<form method=\"post\" action=\"/login\">");
    }

    @Test
    void aWrongPasswordOrUnknownUserIsRefusedAndGetsNoSession() throws Exception {
        for (String[] attempt : List.of(new String[] {"demo", "wrong"}, new String[] {"nobody", "demo-pw"})) {
            HttpResponse<String> r = login(attempt[0], attempt[1], null);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
            assertThat(r.body()).contains("wrong user or password");
        }
    }

    @Test
    void aLoginFromAnotherSiteIsRefused() throws Exception {
        HttpResponse<String> r = login("demo", "demo-pw", "https://evil.example");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void afterLoginTheApiServesTheRowsAndTheStreamPushesEachChange() throws Exception {
        HttpResponse<String> r = login("demo", "demo-pw", base);
        assertThat(r.statusCode()).isEqualTo(303);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        assertThat(get("/", cookie).body()).contains("uPlot.iife.min.js");
        JsonNode all = AggregateView.JSON.readTree(get("/api/aggregates", cookie).body());
        JsonNode agg = all.get("events_per_hour");
        assertThat(agg.get("groups").toString()).isEqualTo("[\"source_type_name\"]");
        assertThat(agg.get("measures").toString()).isEqualTo("[\"events\",\"amount\"]");
        assertThat(agg.get("rows")).hasSize(1);
        assertThat(agg.at("/rows/0/events").asLong()).isEqualTo(3);
        assertThat(agg.at("/rows/0/amount").decimalValue()).isEqualByComparingTo("120.75");
        assertThat(get("/api/aggregates/nothing", cookie).statusCode()).isEqualTo(404);
        assertThat(get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", null).statusCode()).isEqualTo(200);

        HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/api/stream"))
                .header("Cookie", cookie).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(nextData(lines, "hello")).isEqualTo("{}");
            view.apply(List.of(record(KEY, row(4, "130.75"))));
            JsonNode pushed = AggregateView.JSON.readTree(nextData(lines, "changes"));
            assertThat(pushed.at("/changes/0/aggregate").asText()).isEqualTo("events_per_hour");
            assertThat(pushed.at("/changes/0/key/source_type_name").asText()).isEqualTo("ウェブサイト");
            assertThat(pushed.at("/changes/0/row/events").asLong()).isEqualTo(4);
            view.apply(List.of(record(KEY, null)));
            assertThat(AggregateView.JSON.readTree(nextData(lines, "changes")).at("/changes/0/row").isNull()).as("a tombstone").isTrue();
        }
        assertThat(AggregateView.JSON.readTree(get("/api/aggregates", cookie).body()).at("/events_per_hour/rows")).isEmpty();

        HttpResponse<String> out = http.send(HttpRequest.newBuilder(URI.create(base + "/logout")).header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(get("/api/aggregates", cookie).statusCode()).as("after logout").isEqualTo(401);
    }

    /** An open stream does not keep its session alive: once the session is idle too long, the stream ends. */
    @Test
    void aStreamEndsWithItsSession() throws Exception {
        String setCookie = login("demo", "demo-pw", null).headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/api/stream"))
                .header("Cookie", cookie).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(nextData(lines, "hello")).isEqualTo("{}");
            clock.advance(Duration.ofMinutes(31));
            view.apply(List.of(record(KEY, row(5, "1.00"))));
            assertThat(nextData(lines, "changes")).as("nothing more: the stream closed").isNull();
        }
        assertThat(get("/api/aggregates", cookie).statusCode()).isEqualTo(401);
    }

    /** The data line of the next event of this type (waits at most 5 s). */
    private static String nextData(BufferedReader lines, String event) throws Exception {
        CompletableFuture<String> data = CompletableFuture.supplyAsync(() -> {
            try {
                boolean inEvent = false;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.equals("event: " + event)) {
                        inEvent = true;
                    } else if (inEvent && line.startsWith("data: ")) {
                        return line.substring("data: ".length());
                    }
                }
                return null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return data.get(5, TimeUnit.SECONDS);
    }

    private HttpResponse<String> login(String user, String password, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                        + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String row(long events, String amount) {
        return "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"bucket_start\":\"2026-12-01T14:00:00Z\",\"source_type_name\":\"ウェブサイト\","
                + "\"bucket_end\":\"2026-12-01T15:00:00Z\",\"bucket_zone\":\"Asia/Tokyo\",\"bucket_unit\":\"hour\","
                + "\"bucket_label\":\"2026-12-01 23:00\",\"updated_at\":\"2026-12-01T14:10:00Z\",\"events\":" + events
                + ",\"amount\":" + amount + "}}";
    }

    private static AggregateView.Record record(String key, String value) {
        return new AggregateView.Record("dash.events_per_hour", 0, key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
