package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.CliRun;
import io.tributary.cli.athena.AthenaDdl;
import io.tributary.cli.athena.LakeVerifier;
import io.tributary.cli.athena.TableDefinition;
import io.tributary.cli.common.Settings;
import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.lake.LocalLake;
import io.tributary.dev.demo.DemoReport;
import io.tributary.dev.demo.DemoRun;
import io.tributary.dev.stack.LocalStackLake;
import io.tributary.dev.stack.LocalStackSettings;
import io.tributary.devstack.connect.ConnectWorker;
import io.tributary.devstack.mariadb.MariaDbServer;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.contract.CurrentState;
import io.tributary.schemas.lake.LakeNames;
import io.tributary.schemas.lake.LakeTimeRange;
import io.tributary.schemas.registry.SchemaRegistryClient;
import io.tributary.schemas.registry.SchemaRegistryClients;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import io.tributary.testing.FreePorts;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on the real stack, as `tributary demo` drives it: MariaDB changes through Debezium
 * and application events through the streams app into Parquet on S3, read back by DuckDB. While it
 * runs, MariaDB, the Connect worker and the streams app are each restarted, and a column is added
 * to a CDC table. Every count must still reconcile exactly, and each dashboard aggregate in PostgreSQL
 * must equal the same aggregate computed over the lake. Then {@code transactions_current} and
 * {@code transactions_snapshot} equal the MariaDB table after a known sequence of changes ({@link CurrentStateCheck}).
 */
@ExtendWith(DevStackExtension.class)
class PipelineEndToEndIT {
    private static final Duration DRIVE = Duration.ofSeconds(90);

    @TempDir
    Path mirror;

    @Test
    void everythingSentLandsExactlyOnceThroughRestartsAndASchemaChange(DevStack stack) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        long[] channelRow = {-1};
        try (DemoRun run = new DemoRun(stack.config(), TributaryHome.connectorConfigs(), FreePorts.one(), out)) {
            run.setUp();
            run.measureFreshness();
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(run.dashboardUrl() + "api/aggregates")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).as("the demo's dashboard page, without a login").isEqualTo(401);
            // The production commands get this stack's endpoints as ./tributary gets a running stack's.
            Settings local = LocalStackSettings.of(stack.config());
            CliRun apply = CliRun.with(local, "connectors", "apply");
            assertThat(apply.exitCode()).as("connectors apply again (idempotent): %s", apply.err()).isZero();
            assertThat(apply.out()).contains("tributary-cdc-shop: connector RUNNING, task 0 RUNNING")
                    .as("an unchanged connector is not restarted").contains("tributary-cdc-shop (debezium-shop.local.json): unchanged")
                    .contains("tributary-lake-sink (lake-sink.json): unchanged");
            run.drive(DRIVE, 20, second -> {
                switch (second) {
                    case 15 -> {
                        out.println("  FAULT: restarting MariaDB");
                        stack.stack().restart(MariaDbServer.NAME);
                    }
                    case 30 -> {
                        out.println("  SCHEMA: ALTER TABLE transactions ADD COLUMN channel");
                        run.database().addColumn("transactions", "channel", "VARCHAR(20)");
                    }
                    case 33 -> {
                        channelRow[0] = run.transactions().last();
                        run.database().setTransactionColumn(channelRow[0], "channel", "web");
                        run.transactions().count("u");
                    }
                    case 55 -> {
                        out.println("  FAULT: restarting the Connect worker");
                        stack.stack().restart(ConnectWorker.NAME);
                    }
                    case 70 -> {
                        out.println("  FAULT: restarting the streams app");
                        run.stopPipeline();
                        run.startPipeline();
                    }
                    default -> { }
                }
            });
            run.drain(Duration.ofMinutes(3)); // the pipeline keeps running: the report waits for the dashboard tables
            CliRun status = CliRun.with(local, "connectors", "status");
            assertThat(status.exitCode()).as(status.out() + status.err()).isZero();
            assertThat(status.out()).contains("tributary-lake-sink (sink): connector RUNNING").contains("lag: 0 records");
            checkDashboardQueryThroughTheCli(run, local);
            // The report below then reconciles the compacted lake: every row still exactly once.
            assertThat(run.compact().compacted()).as("hours the demo's compaction pass merged").isPositive();
            try (LocalLake lake = LocalStackLake.open(stack.config(), mirror)) {
                List<String> mismatches = new DemoReport(run, lake, out).print();
                assertThat(mismatches).isEmpty();
                try (Statement st = lake.connection().createStatement();
                     ResultSet r = st.executeQuery("SELECT id FROM transactions WHERE channel = 'web'")) {
                    assertThat(r.next()).as("the added column reached the lake").isTrue();
                    assertThat(r.getLong(1)).isEqualTo(channelRow[0]);
                    assertThat(r.next()).isFalse();
                }
                assertThat(lake.tables()).contains("app_events", "transactions", "masters", "dead_letters");
                verifyAthenaDefinitions(stack, lake.mirror());
            }
            // The demo's load has stopped; a known sequence of changes, then current state = the table (issue 19).
            new CurrentStateCheck(stack, local).run(mirror.resolve("compact"));
            assertThat(run.sender().good()).isGreaterThan(1000);
            Path ddlDir = mirror.resolve("ddl");
            assertThat(CliRun.of("athena", "ddl", "--registry", stack.config().registryUrl(), "--bucket", stack.config().bucket(),
                    "--write", ddlDir.toString()).exitCode()).isZero();
            List<String> verifyArgs = new ArrayList<>(List.of("athena", "verify", "--ddl-dir", ddlDir.toString()));
            verifyArgs.addAll(Contracts.PIPELINE_TABLES); // athena_queries is written by `athena usage`, not by the pipeline
            // The current views (snapshots need a compaction pass over closed days, which this run does not make).
            CurrentState.tables().forEach(t -> verifyArgs.add(CurrentState.currentView(t)));
            CliRun verify = CliRun.with(local, verifyArgs.toArray(String[]::new));
            assertThat(verify.exitCode()).as(verify.out()).isZero();
            assertThat(verify.out()).contains("transactions   OK");
            assertThat(run.freshness().measured()).isPositive();
            System.out.printf("Freshness under faults: p50 %d ms, p95 %d ms over %d events%n",
                    run.freshness().percentile(50), run.freshness().percentile(95), run.freshness().measured());
        }
    }

    /** `tributary query` returns the hourly events per display name that the sent events add up to. */
    private static void checkDashboardQueryThroughTheCli(DemoRun run, Settings local) {
        CliRun query = CliRun.with(local, "query", "--csv",
                DemoReport.DASHBOARD_SQL.replace("${mine}", "event_id LIKE '" + run.eventIdPrefix() + "%'"));
        assertThat(query.exitCode()).as(query.err()).isZero();
        Map<String, Long> actual = new TreeMap<>();
        query.out().lines().skip(1).forEach(line -> {
            int last = line.lastIndexOf(',');
            actual.put(line.substring(0, last), Long.parseLong(line.substring(last + 1)));
        });
        assertThat(actual).isEqualTo(run.expectedEventsPerHourAndName());
    }

    /**
     * The Athena tables generated from what the registry holds now match every key and Parquet
     * footer the sink wrote; the shipped contract of transactions, which lacks the column added
     * during the run, is reported with the column named, and its ALTER statement adds it.
     */
    private static void verifyAthenaDefinitions(DevStack stack, Path mirror) throws Exception {
        AthenaDdl ddl = new AthenaDdl("tributary", stack.config().bucket(), LakeNames.DEFAULT_TOPICS_DIR,
                LocalDate.parse(LakeTimeRange.DEFAULT_START));
        SchemaRegistryClient registry = SchemaRegistryClients.forUrl(stack.config().registryUrl());
        for (String table : Contracts.PIPELINE_TABLES) {
            Schema current = registry.latest(LakeNames.subject(LakeNames.DEFAULT_TOPIC_PREFIX, table)).schema();
            assertThat(LakeVerifier.verify(TableDefinition.parse(ddl.createTable(table, current)), stack.config().bucket(), mirror))
                    .as("athena verify of %s", table).isEmpty();
        }
        Schema released = Contracts.schema(Contracts.TRANSACTIONS);
        assertThat(LakeVerifier.verify(TableDefinition.parse(ddl.createTable(Contracts.TRANSACTIONS, released)),
                stack.config().bucket(), mirror)).isNotEmpty().allSatisfy(p -> assertThat(p).contains("column channel"));
        assertThat(ddl.addColumns(Contracts.TRANSACTIONS, released,
                registry.latest(LakeNames.subject(LakeNames.DEFAULT_TOPIC_PREFIX, Contracts.TRANSACTIONS)).schema())).contains("`channel` string");
    }
}
