package io.tributary.cli.athena;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cli.Tributary;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.contract.CurrentState;
import io.tributary.schemas.lake.LakeTimeRange;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
    private AwsJsonEndpoint athena;
    private final AtomicInteger ids = new AtomicInteger();
    private volatile String failingQuery;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startAthena() throws IOException {
        athena = AwsJsonEndpoint.start((target, body) -> AwsJsonEndpoint.Reply.ok(respond(target, body)));
    }

    @AfterEach
    void stop() {
        athena.close();
    }

    /** StartQueryExecution gets an id; each id answers RUNNING once, then SUCCEEDED (or FAILED for the failing query). */
    private String respond(String target, JsonNode body) {
        if ("AmazonAthena.StartQueryExecution".equals(target)) {
            String id = "q-" + ids.incrementAndGet() + (body.path("QueryString").asText().equals(failingQuery) ? "-fail" : "");
            return recorded("StartQueryExecution", id);
        }
        String id = body.path("QueryExecutionId").asText();
        long pollsOfThis = athena.requests().stream().filter(r -> id.equals(r.body().path("QueryExecutionId").asText())).count();
        if (pollsOfThis == 1) {
            return recorded("GetQueryExecution-RUNNING", id);
        }
        return recorded(id.endsWith("-fail") ? "GetQueryExecution-FAILED" : "GetQueryExecution-SUCCEEDED", id);
    }

    private static String recorded(String name, String id) {
        return AwsJsonEndpoint.resource("/athena/" + name + ".json").replace("${id}", id);
    }

    private int apply(String... extra) {
        CommandLine cli = Tributary.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("athena", "apply", "--endpoint", athena.url(),
                "--region", "ap-northeast-1", "--workgroup", "analytics", "--output-location", "s3://results/tributary/",
                "--bucket", "my-lake"));
        args.addAll(List.of(extra));
        return cli.execute(args.toArray(String[]::new));
    }

    @Test
    void createsTheDatabaseThenEveryTableAndWaitsForEachQuery() {
        assertThat(apply()).as(err.toString()).isZero();

        List<JsonNode> starts = athena.requests().stream().filter(r -> r.target().equals("AmazonAthena.StartQueryExecution"))
                .map(AwsJsonEndpoint.Request::body).toList();
        AthenaDdl ddl = new AthenaDdl("tributary", "my-lake", "lake", LocalDate.parse(LakeTimeRange.DEFAULT_START));
        // Every table, each CDC table followed by its snapshot table and current view (which reads it).
        List<String> statements = new ArrayList<>();
        for (String table : Contracts.TABLES) {
            statements.add(ddl.createTable(table, Contracts.schema(table)));
            statements.addAll(ddl.currentState(table, Contracts.schema(table)).values());
        }
        assertThat(statements).hasSize(Contracts.TABLES.size() + 2 * CurrentState.tables().size());
        assertThat(starts).hasSize(1 + statements.size());
        assertThat(starts.get(0).path("QueryString").asText()).isEqualTo("CREATE DATABASE IF NOT EXISTS `tributary`");
        assertThat(starts.get(0).has("QueryExecutionContext")).isFalse();
        for (int t = 0; t < statements.size(); t++) {
            JsonNode start = starts.get(t + 1);
            assertThat(start.path("QueryString").asText()).isEqualTo(statements.get(t).strip().replaceAll(";$", ""));
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
        assertThat(athena.targets()).isEqualTo(expected);
        assertThat(out.toString()).contains("CREATE EXTERNAL TABLE IF NOT EXISTS `tributary`.`dead_letters` ( ... SUCCEEDED");
    }

    @Test
    void aFailedQueryStopsTheRunWithAthenasReason() {
        failingQuery = "CREATE DATABASE IF NOT EXISTS `tributary`";
        assertThat(apply()).isEqualTo(1);
        assertThat(err.toString()).contains("ended FAILED").contains("Database does not exist: tributary")
                .contains("CREATE DATABASE IF NOT EXISTS `tributary`");
        assertThat(athena.targets().stream().filter("AmazonAthena.StartQueryExecution"::equals)).hasSize(1);
    }

    @Test
    void dryRunPrintsTheStatementsAndSendsNothing() {
        assertThat(apply("--dry-run")).isZero();
        assertThat(athena.targets()).isEmpty();
        assertThat(out.toString()).contains("CREATE DATABASE IF NOT EXISTS `tributary`;")
                .contains("LOCATION 's3://my-lake/lake/app_events/'");
    }
}
