package io.tributary.cli.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.tributary.cli.common.CliError;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the client meets a Connect worker that is rebalancing or refuses a request. */
class ConnectRestClientTest {
    private record Answer(int status, String body) {
    }

    private final Deque<Answer> answers = new ArrayDeque<>();
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

    private ConnectRestClient client() throws IOException {
        worker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        worker.createContext("/", exchange -> {
            Answer answer;
            synchronized (answers) {
                requests++;
                answer = answers.size() > 1 ? answers.poll() : answers.peek();
            }
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        worker.start();
        return new ConnectRestClient("http://127.0.0.1:" + worker.getAddress().getPort() + "/");
    }
}
