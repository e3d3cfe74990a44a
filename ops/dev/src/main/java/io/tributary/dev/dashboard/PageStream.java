package io.tributary.dev.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A reader of the dashboard page as its browser script is: logs in with the form, reads an aggregate's
 * rows from the JSON API, and follows the push stream, handing each changed row to a listener the
 * moment its message arrives.
 */
public final class PageStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI page;
    private CompletableFuture<HttpResponse<Stream<String>>> stream;

    /** Logs in at {@code url} (e.g. http://127.0.0.1:18088/); throws when the login is refused. */
    public PageStream(String url, String user, String password) throws IOException, InterruptedException {
        page = URI.create(url);
        String form = "user=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpResponse<Void> login = http.send(HttpRequest.newBuilder(page.resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", page.getScheme() + "://" + page.getAuthority())
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
        if (login.statusCode() != 303) {
            throw new IOException("the dashboard refused the login as " + user + " (HTTP " + login.statusCode() + ")");
        }
    }

    /** The aggregate's rows as the page loads them, or an empty array when it has none yet. */
    public JsonNode rows(String aggregate) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(page.resolve("/api/aggregates/" + aggregate)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return JSON.createArrayNode();
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET /api/aggregates/" + aggregate + " answered HTTP " + r.statusCode());
        }
        return JSON.readTree(r.body()).path("rows");
    }

    /** Follows the push stream: {@code change} gets each change (aggregate, key, row) as it arrives, on the stream's thread. */
    public void follow(Consumer<JsonNode> change) {
        stream = http.sendAsync(HttpRequest.newBuilder(page.resolve("/api/stream")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        stream.thenAccept(response -> response.body().forEach(line -> {
            if (line.startsWith("data:") && line.contains("\"changes\"")) {
                try {
                    JSON.readTree(line.substring("data:".length())).path("changes").forEach(change);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }));
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.thenAccept(r -> r.body().close());
            stream.cancel(true);
        }
    }
}
