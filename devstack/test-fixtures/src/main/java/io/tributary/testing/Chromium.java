package io.tributary.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium (Debian's {@code chromium}) driven over the Chrome DevTools Protocol with the
 * JDK's WebSocket client: navigate, evaluate JavaScript, wait for a condition, take a screenshot.
 * Page exceptions and console errors are collected, so a test can require that there were none.
 */
public final class Chromium implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final String INSTALL = "apt-get install -y chromium fonts-ipafont-gothic";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process browser;
    private final Path profile;
    private WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    /**
     * Installs Chromium and a Japanese font when missing, as root with apt-get; otherwise fails
     * saying how. Never skips: CI must run the browser test.
     */
    public static void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY) && japaneseFont()) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            throw new IllegalStateException("Chromium or a Japanese font is missing: run `" + INSTALL + "` as root");
        }
        Process p = new ProcessBuilder("sh", "-c", "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "
                + "-o DPkg::Lock::Timeout=300 chromium fonts-ipafont-gothic").inheritIO().start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isExecutable(BINARY)) {
            p.destroyForcibly();
            throw new IllegalStateException("Installing Chromium failed: run `" + INSTALL + "` as root");
        }
    }

    private static boolean japaneseFont() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("fc-list", ":lang=ja").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return p.waitFor() == 0 && !out.isBlank();
    }

    private Chromium(Process browser, Path profile) {
        this.browser = browser;
        this.profile = profile;
    }

    public static Chromium launch(Path dir) throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        Files.createDirectories(dir);
        Process p = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        Chromium c = new Chromium(p, profile);
        try {
            c.attach(dir);
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void attach(Path dir) throws Exception {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (!browser.isAlive()) {
                throw new IllegalStateException("chromium exited " + browser.exitValue() + "; see " + dir.resolve("chromium.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("chromium wrote no DevToolsActivePort in 30 s; see " + dir.resolve("chromium.log"));
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String url = null;
        for (JsonNode t : targets) {
            if (t.get("type").asText().equals("page")) {
                url = t.get("webSocketDebuggerUrl").asText();
            }
        }
        StringBuilder buffer = new StringBuilder();
        socket = http.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                buffer.append(data); // large results (screenshots) arrive in parts
                if (last) {
                    dispatch(buffer.toString());
                    buffer.setLength(0);
                }
                ws.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        send("Page.enable", Map.of());
        send("Runtime.enable", Map.of());
    }

    private void dispatch(String message) {
        try {
            JsonNode m = JSON.readTree(message);
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                if (m.has("error")) {
                    f.completeExceptionally(new IllegalStateException(m.get("error").toString()));
                } else {
                    f.complete(m.get("result"));
                }
                return;
            }
            String method = m.path("method").asText();
            if (method.equals("Runtime.exceptionThrown")) {
                errors.add(m.at("/params/exceptionDetails").toString());
            } else if (method.equals("Runtime.consoleAPICalled") && m.at("/params/type").asText().equals("error")) {
                errors.add(m.at("/params/args").toString());
            }
            events.add(m);
        } catch (IOException e) {
            errors.add("unreadable DevTools message: " + e.getMessage());
        }
    }

    public JsonNode send(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        socket.sendText(JSON.writeValueAsString(msg), true).get(5, TimeUnit.SECONDS);
        return f.get(30, TimeUnit.SECONDS);
    }

    /** The value of a JavaScript expression, as JSON. */
    public JsonNode eval(String js) throws Exception {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", js, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + r.get("exceptionDetails"));
        }
        return r.at("/result/value");
    }

    /** Evaluates {@code js} every 100 ms until it is truthy; returns its value. */
    public JsonNode waitFor(String js, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode v = eval(js);
            if (!v.isMissingNode() && !v.isNull() && !(v.isBoolean() && !v.asBoolean())) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true after " + timeout + ": " + js + "; page errors: " + errors);
            }
            Thread.sleep(100);
        }
    }

    /** Runs {@code action} (a navigation, a click) and waits until the next page has loaded. */
    public void andWaitForLoad(ThrowingRunnable action) throws Exception {
        events.clear();
        action.run();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonNode e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.path("method").asText().equals("Page.loadEventFired")) {
                return;
            }
        }
        throw new AssertionError("the page did not load within 20 s");
    }

    public void navigate(String url) throws Exception {
        andWaitForLoad(() -> send("Page.navigate", Map.of("url", url)));
    }

    public void screenshot(Path png) throws Exception {
        Files.write(png, Base64.getDecoder().decode(send("Page.captureScreenshot", Map.of("format", "png")).get("data").asText()));
    }

    /** Uncaught page exceptions and console errors so far. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (socket != null) {
                send("Browser.close", Map.of());
            }
        } catch (Exception e) {
            // it is going anyway
        }
        if (!browser.waitFor(5, TimeUnit.SECONDS)) {
            browser.destroyForcibly().waitFor();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
