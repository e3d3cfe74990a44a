package io.tributary.cli.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.tributary.cli.common.CliError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the client meets a Connect worker that is rebalancing, refuses a request, wants a login or finds
 * a config invalid, and how `connectors apply` stops before deploying anything invalid.
 */
class ConnectRestClientTest {
    private record Answer(int status, String body) {
    }

    private final Deque<Answer> answers = new ArrayDeque<>();
    private final List<String> received = new ArrayList<>();
    private int requests;
    private HttpServer worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.stop(0);
        }
    }

    @Test
    void aReadRightAfterAConnectorWasAddedWaitsOutTheRebalance() throws IOException {
        answers.add(new Answer(500, "{\"error_code\":500,\"message\":\"Request cannot be completed because a rebalance is expected\"}"));
        answers.add(new Answer(200, "{\"connector.class\":\"io.tributary.connect.s3.S3ParquetSinkConnector\"}"));

        Map<String, String> config = client().config("tributary-lake-sink");

        assertThat(config).containsEntry("connector.class", "io.tributary.connect.s3.S3ParquetSinkConnector");
        assertThat(requests).isEqualTo(2);
    }

    @Test
    void aWriteDuringARebalanceIsRepeated() throws IOException {
        answers.add(new Answer(409, "{\"error_code\":409,\"message\":\"Cannot complete request because of a conflicting operation (e.g. worker rebalance)\"}"));
        answers.add(new Answer(200, "{}"));

        client().putConfig("tributary-lake-sink", Map.of("tasks.max", "1"));

        assertThat(requests).isEqualTo(2);
    }

    @Test
    void anyOtherServerErrorIsReportedAtOnce() throws IOException {
        answers.add(new Answer(500, "{\"error_code\":500,\"message\":\"Failed to find any class that implements Connector\"}"));

        assertThatThrownBy(() -> client().connectors()).isInstanceOf(CliError.class)
                .hasMessage("Connect answered GET /connectors with HTTP 500: "
                        + "{\"error_code\":500,\"message\":\"Failed to find any class that implements Connector\"}");
        assertThat(requests).isEqualTo(1);
    }

    @Test
    void aMissingConnectorIsNull() throws IOException {
        answers.add(new Answer(404, "{\"error_code\":404,\"message\":\"Connector x not found\"}"));

        assertThat(client().status("x")).isNull();
        assertThat(requests).isEqualTo(1);
    }

    @Test
    void aUserLogsInWithBasicAuth() throws IOException {
        answers.add(new Answer(200, "[\"tributary-lake-sink\"]"));

        assertThat(client("ops", "s3cret").connectors()).containsExactly("tributary-lake-sink");
        assertThat(received).containsExactly("GET /connectors Basic b3BzOnMzY3JldA=="); // base64("ops:s3cret")
    }

    @Test
    void aRefusedLoginNamesTheSettingsInOneLine() throws IOException {
        answers.add(new Answer(401, "{\"error_code\":401,\"message\":\"Credentials are missing\"}"));

        assertThatThrownBy(() -> client().connectors()).isInstanceOf(CliError.class)
                .hasMessage("Connect refused GET /connectors (HTTP 401): its REST API needs a login: set --connect-user "
                        + "(TRIBUTARY_CONNECT_USER) and TRIBUTARY_CONNECT_PASSWORD");
    }

    /** Connect's answer to PUT /connector-plugins/CLASS/config/validate, with two problems. */
    private static final String INVALID = "{\"name\":\"io.debezium.connector.mysql.MySqlConnector\",\"error_count\":2,\"groups\":[],"
            + "\"configs\":[{\"definition\":{},\"value\":{\"name\":\"database.hostname\",\"value\":\"db\",\"errors\":"
            + "[\"Unable to connect: Communications link failure\\n\\tat com.mysql...\"]}},"
            + "{\"definition\":{},\"value\":{\"name\":\"topic.prefix\",\"value\":null,\"errors\":[\"The 'topic.prefix' value is invalid: A value is required\"]}},"
            + "{\"definition\":{},\"value\":{\"name\":\"tasks.max\",\"value\":\"1\",\"errors\":[]}}]}";

    @Test
    void validationListsEachProblemByKeyOnOneLine() throws IOException {
        answers.add(new Answer(200, INVALID));

        assertThat(client().validate("cdc", Map.of("connector.class", "io.debezium.connector.mysql.MySqlConnector")))
                .containsExactly("database.hostname: Unable to connect: Communications link failure",
                        "topic.prefix: The 'topic.prefix' value is invalid: A value is required");
        assertThat(received).containsExactly("PUT /connector-plugins/io.debezium.connector.mysql.MySqlConnector/config/validate "
                + "{\"connector.class\":\"io.debezium.connector.mysql.MySqlConnector\",\"name\":\"cdc\"}");
    }

    @Test
    void applyDeploysNothingWhenAConfigIsInvalid() throws IOException {
        answers.add(new Answer(200, INVALID));
        StringWriter out = new StringWriter();
        ConnectorFile file = new ConnectorFile(Path.of("debezium-shop.production.json"), "tributary-cdc-shop",
                Map.of("connector.class", "io.debezium.connector.mysql.MySqlConnector"));

        assertThatThrownBy(() -> ApplyCommand.apply(List.of(file), client(), "http://connect:8083", Duration.ofSeconds(1),
                new PrintWriter(out))).isInstanceOf(CliError.class)
                .hasMessageStartingWith("2 problem(s) in the connector configs (listed above), as the worker at http://connect:8083 "
                        + "validated them; nothing was applied.");
        assertThat(out.toString()).isEqualTo(
                "  tributary-cdc-shop (debezium-shop.production.json): invalid: database.hostname: Unable to connect: Communications link failure\n"
                + "  tributary-cdc-shop (debezium-shop.production.json): invalid: topic.prefix: The 'topic.prefix' value is invalid: A value is required\n");
        assertThat(received).hasSize(1).allMatch(r -> r.startsWith("PUT /connector-plugins/"));
    }

    private ConnectRestClient client() throws IOException {
        return client(null, null);
    }

    private ConnectRestClient client(String user, String password) throws IOException {
        worker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        worker.createContext("/", exchange -> {
            Answer answer;
            synchronized (answers) {
                requests++;
                answer = answers.size() > 1 ? answers.poll() : answers.peek();
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            synchronized (received) {
                received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + (auth == null ? "" : " " + auth)
                        + (body.isEmpty() ? "" : " " + body));
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        worker.start();
        return new ConnectRestClient("http://127.0.0.1:" + worker.getAddress().getPort() + "/", user, password);
    }
}
