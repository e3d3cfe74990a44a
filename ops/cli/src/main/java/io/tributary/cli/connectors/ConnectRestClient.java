package io.tributary.cli.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.cli.common.CliError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Kafka Connect REST API calls Tributary makes: list plugins, validate and put a connector's config
 * (create or update, idempotent), read its status, restart and delete it. Works against any Connect
 * worker, local or production, also one whose REST API requires basic auth (Connect's
 * {@code BasicAuthSecurityRestExtension}, Confluent Platform's RBAC basic auth).
 */
public final class ConnectRestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration REBALANCE_PATIENCE = Duration.ofSeconds(60);

    private final String baseUrl;
    private final String authorization;

    public ConnectRestClient(String baseUrl) {
        this(baseUrl, null, null);
    }

    /** A client that sends HTTP basic auth when {@code user} is set. */
    public ConnectRestClient(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
    }

    /** Connector classes the worker offers. */
    public List<String> connectorPlugins() {
        List<String> classes = new ArrayList<>();
        expectOk("GET", "/connector-plugins", call("GET", "/connector-plugins", null))
                .forEach(plugin -> classes.add(plugin.path("class").asText()));
        return classes;
    }

    /** Names of the connectors on the worker. */
    public List<String> connectors() {
        List<String> names = new ArrayList<>();
        expectOk("GET", "/connectors", call("GET", "/connectors", null)).forEach(n -> names.add(n.asText()));
        return names;
    }

    /**
     * What the worker finds wrong with a config, without deploying it ({@code PUT
     * /connector-plugins/<class>/config/validate}, which resolves the config providers and runs the
     * connector's own validation, Debezium's connection check included): one "key: error" per problem,
     * empty when valid.
     */
    public List<String> validate(String name, Map<String, String> config) {
        String path = "/connector-plugins/" + config.get("connector.class") + "/config/validate";
        Map<String, String> named = new java.util.LinkedHashMap<>(config);
        named.put("name", name);
        JsonNode result = expectOk("PUT", path, call("PUT", path, named));
        List<String> errors = new ArrayList<>();
        for (JsonNode entry : result.path("configs")) {
            for (JsonNode error : entry.path("value").path("errors")) {
                errors.add(entry.path("value").path("name").asText() + ": " + error.asText().lines().findFirst().orElse(""));
            }
        }
        if (errors.isEmpty() && result.path("error_count").asInt() > 0) {
            errors.add(result.path("error_count").asInt() + " errors the worker did not name; see its log");
        }
        return errors;
    }

    /** Creates the connector or updates its config ({@code PUT /connectors/<name>/config}). */
    public void putConfig(String name, Map<String, String> config) {
        expectOk("PUT", "/connectors/" + name + "/config", call("PUT", "/connectors/" + name + "/config", config));
    }

    /** The status document, or null when the connector does not exist. */
    public JsonNode status(String name) {
        HttpResponse<String> response = call("GET", "/connectors/" + name + "/status", null);
        return response.statusCode() == 404 ? null : expectOk("GET", "/connectors/" + name + "/status", response);
    }

    /** The connector's config as the worker stores it, or null when the connector does not exist. */
    public Map<String, String> config(String name) {
        HttpResponse<String> response = call("GET", "/connectors/" + name + "/config", null);
        if (response.statusCode() == 404) {
            return null;
        }
        Map<String, String> config = new java.util.LinkedHashMap<>();
        expectOk("GET", "/connectors/" + name + "/config", response).fields()
                .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    /** Restarts the connector and all its tasks ({@code POST /connectors/<name>/restart?includeTasks=true}). */
    public void restart(String name) {
        restart(name, false);
    }

    /**
     * Restarts only what has FAILED, as Strimzi's {@code autoRestart} does: a Debezium task that
     * started while its database was down (a restart, an Aurora failover) stays FAILED until then.
     */
    public void restartFailed(String name) {
        restart(name, true);
    }

    private void restart(String name, boolean onlyFailed) {
        String path = "/connectors/" + name + "/restart?includeTasks=true&onlyFailed=" + onlyFailed;
        expectOk("POST", path, call("POST", path, null));
    }

    /** The connector's committed offsets ({@code GET /connectors/<name>/offsets}), or null when it does not exist. */
    public JsonNode offsets(String name) {
        HttpResponse<String> response = call("GET", "/connectors/" + name + "/offsets", null);
        return response.statusCode() == 404 ? null : expectOk("GET", "/connectors/" + name + "/offsets", response);
    }

    public void delete(String name) {
        HttpResponse<String> response = call("DELETE", "/connectors/" + name, null);
        if (response.statusCode() != 404) {
            expectOk("DELETE", "/connectors/" + name, response);
        }
    }

    /**
     * Waits until the connector and {@code tasks} tasks are RUNNING (-1: every task it has, at least
     * one); fails early with the trace of a FAILED task.
     */
    public JsonNode awaitRunning(String name, int tasks, Duration timeout, Consumer<String> progress) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no status yet";
        while (Instant.now().isBefore(deadline)) {
            JsonNode status = status(name);
            if (status != null) {
                last = summary(status);
                List<JsonNode> failed = failedTasks(status);
                if (!failed.isEmpty()) {
                    throw new CliError("Connector " + name + " task " + failed.get(0).path("id").asInt() + " FAILED: "
                            + failed.get(0).path("trace").asText().lines().findFirst().orElse(""));
                }
                if (isRunning(status, tasks)) {
                    return status;
                }
            }
            progress.accept(name + ": " + last);
            sleep();
        }
        throw new CliError("Connector " + name + " is not RUNNING with " + tasks + " tasks after " + timeout
                + " (" + last + "); see the Connect worker's log");
    }

    /** Whether the connector and {@code tasks} tasks are RUNNING (-1: every task it has, at least one). */
    public static boolean isRunning(JsonNode status, int tasks) {
        long running = 0;
        for (JsonNode task : status.path("tasks")) {
            running += "RUNNING".equals(task.path("state").asText()) ? 1 : 0;
        }
        int listed = status.path("tasks").size();
        boolean enough = tasks < 0 ? listed > 0 && running == listed : running == tasks;
        return "RUNNING".equals(status.at("/connector/state").asText()) && enough;
    }

    /** The status entries of the FAILED tasks. */
    public static List<JsonNode> failedTasks(JsonNode status) {
        List<JsonNode> failed = new ArrayList<>();
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                failed.add(task);
            }
        }
        return failed;
    }

    /** One line: connector state and each task's state. */
    public static String summary(JsonNode status) {
        StringBuilder line = new StringBuilder("connector " + status.at("/connector/state").asText());
        for (JsonNode task : status.path("tasks")) {
            line.append(", task ").append(task.path("id").asInt()).append(' ').append(task.path("state").asText());
        }
        return line.toString();
    }

    /**
     * One REST call, repeated while the worker is rebalancing: Connect answers 409 to writes during
     * a rebalance and 500 "a rebalance is expected" to anything right after a connector was added,
     * and both pass within seconds, so a caller never sees them unless they last.
     */
    private HttpResponse<String> call(String method, String path, Object body) {
        Instant deadline = Instant.now().plus(REBALANCE_PATIENCE);
        HttpResponse<String> response = send(method, path, body);
        while (isRebalancing(response) && Instant.now().isBefore(deadline)) {
            sleep();
            response = send(method, path, body);
        }
        return response;
    }

    static boolean isRebalancing(HttpResponse<String> response) {
        int status = response.statusCode();
        return status == 409 || status == 500 && response.body().contains("rebalance");
    }

    private HttpResponse<String> send(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/json");
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // The HTTP client's ConnectException has no message: its class is the news.
            throw new CliError("Connect REST call " + method + " " + baseUrl + path + " failed ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "); is the worker running, and is --connect-url (TRIBUTARY_CONNECT_URL) its REST address?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliError("Interrupted during " + method + " " + path, e);
        }
    }

    private JsonNode expectOk(String method, String path, HttpResponse<String> response) {
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new CliError("Connect refused " + method + " " + path + " (HTTP " + response.statusCode() + "): "
                    + (authorization == null ? "its REST API needs a login: set --connect-user (TRIBUTARY_CONNECT_USER) and "
                            + "TRIBUTARY_CONNECT_PASSWORD" : "check --connect-user (TRIBUTARY_CONNECT_USER) and TRIBUTARY_CONNECT_PASSWORD"));
        }
        if (response.statusCode() / 100 != 2) {
            throw new CliError("Connect answered " + method + " " + path + " with HTTP " + response.statusCode()
                    + ": " + response.body());
        }
        try {
            return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CliError("Connect answered " + method + " " + path + " with invalid JSON: " + response.body(), e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliError("Interrupted while waiting for the Connect worker", e);
        }
    }
}
