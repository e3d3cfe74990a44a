package io.tributary.ops.athena;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tributary.ops.Tributary;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.contract.LakeTimeRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * `tributary athena apply` against a local endpoint that speaks Athena's JSON protocol with the
 * documented response shapes: the exact requests sent, polling until a query ends, and a failure
 * reported with Athena's own reason.
 */
class AthenaApplyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final List<JsonNode> requests = new ArrayList<>();
    private final List<String> targets = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile String failingQuery;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startAthena() throws IOException {
        System.setProperty("aws.accessKeyId", "test-only");
        System.setProperty("aws.secretAccessKey", "test-only");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String response;
            synchronized (requests) {
                targets.add(target);
                requests.add(body);
                response = respond(target, body);
            }
            byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** StartQueryExecution gets an id; each id answers RUNNING once, then SUCCEEDED (or FAILED for the failing query). */
    private String respond(String target, JsonNode body) throws IOException {
        if ("AmazonAthena.StartQueryExecution".equals(target)) {
            String id = "q-" + ids.incrementAndGet() + (body.path("QueryString").asText().equals(failingQuery) ? "-fail" : "");
            return recorded("StartQueryExecution", id);
        }
        String id = body.path("QueryExecutionId").asText();
        long pollsOfThis = requests.stream().filter(r -> id.equals(r.path("QueryExecutionId").asText())).count();
        if (pollsOfThis == 1) {
            return recorded("GetQueryExecution-RUNNING", id);
        }
        return recorded(id.endsWith("-fail") ? "GetQueryExecution-FAILED" : "GetQueryExecution-SUCCEEDED", id);
    }

    private static String recorded(String name, String id) throws IOException {
        try (InputStream in = AthenaApplyTest.class.getResourceAsStream("/athena/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${id}", id);
        }
    }

    private int apply(String... extra) {
        CommandLine cli = Tributary.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("athena", "apply", "--endpoint", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--region", "ap-northeast-1", "--workgroup", "analytics", "--output-location", "s3://results/tributary/",
                "--bucket", "my-lake"));
        args.addAll(List.of(extra));
        return cli.execute(args.toArray(String[]::new));
    }

    @Test
    void createsTheDatabaseThenEveryTableAndWaitsForEachQuery() {
        assertThat(apply()).as(err.toString()).isZero();

        List<JsonNode> starts = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i).equals("AmazonAthena.StartQueryExecution")) {
                starts.add(requests.get(i));
            }
        }
        assertThat(starts).hasSize(1 + Contracts.TABLES.size());
        assertThat(starts.get(0).path("QueryString").asText()).isEqualTo("CREATE DATABASE IF NOT EXISTS `tributary`");
        assertThat(starts.get(0).has("QueryExecutionContext")).isFalse();
        AthenaDdl ddl = new AthenaDdl("tributary", "my-lake", "lake", LocalDate.parse(LakeTimeRange.DEFAULT_START));
        for (int t = 0; t < Contracts.TABLES.size(); t++) {
            JsonNode start = starts.get(t + 1);
            String table = Contracts.TABLES.get(t);
            assertThat(start.path("QueryString").asText()).isEqualTo(ddl.createTable(table, Contracts.schema(table)).strip()
                    .replaceAll(";$", ""));
            assertThat(start.at("/QueryExecutionContext/Database").asText()).isEqualTo("tributary");
        }
        for (JsonNode start : starts) {
            assertThat(start.path("WorkGroup").asText()).isEqualTo("analytics");
            assertThat(start.at("/ResultConfiguration/OutputLocation").asText()).isEqualTo("s3://results/tributary/");
            assertThat(start.path("ClientRequestToken").asText()).as("idempotency token").isNotBlank();
        }
        // Each statement is polled until it ends (RUNNING, then SUCCEEDED), and the next starts only then.
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            expected.addAll(List.of("AmazonAthena.StartQueryExecution", "AmazonAthena.GetQueryExecution",
                    "AmazonAthena.GetQueryExecution"));
        }
        assertThat(targets).isEqualTo(expected);
        assertThat(out.toString()).contains("CREATE EXTERNAL TABLE IF NOT EXISTS `tributary`.`dead_letters` ( ... SUCCEEDED");
    }

    @Test
    void aFailedQueryStopsTheRunWithAthenasReason() {
        failingQuery = "CREATE DATABASE IF NOT EXISTS `tributary`";
        assertThat(apply()).isEqualTo(1);
        assertThat(err.toString()).contains("ended FAILED").contains("Database does not exist: tributary")
                .contains("CREATE DATABASE IF NOT EXISTS `tributary`");
        assertThat(targets.stream().filter("AmazonAthena.StartQueryExecution"::equals)).hasSize(1);
    }

    @Test
    void dryRunPrintsTheStatementsAndSendsNothing() {
        assertThat(apply("--dry-run")).isZero();
        assertThat(targets).isEmpty();
        assertThat(out.toString()).contains("CREATE DATABASE IF NOT EXISTS `tributary`;")
                .contains("LOCATION 's3://my-lake/lake/app_events/'");
    }
}
