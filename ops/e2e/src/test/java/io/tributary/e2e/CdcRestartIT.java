package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.connectors.ApplyCommand;
import io.tributary.cli.connectors.ConnectRestClient;
import io.tributary.cli.connectors.ConnectorFile;
import io.tributary.dev.reliability.Fault;
import io.tributary.dev.reliability.FaultRun;
import io.tributary.devstack.mariadb.MariaDbServer;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed rows must reach the CDC topic across connector restarts. The first case is the
 * reproduction of the row loss found on the local stack: a standalone DDL statement (MariaDB
 * writes it with a GTID event but no commit event), some idle seconds, a connector restart, then
 * single-row transactions.
 */
@ExtendWith(DevStackExtension.class)
class CdcRestartIT {
    @TempDir
    Path work;

    @Test
    void rowsCommittedAfterAnIdleDdlSurviveAConnectorRestart(DevStack stack) throws Exception {
        List<Long> committed = new ArrayList<>();
        try (CdcSource source = capturingOneRow(stack, committed)) {
            committed.add(insert(source));
            assertThat(source.changes("transactions", 2, Duration.ofMinutes(1))).hasSize(2);

            try (Connection c = source.jdbc(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE ddl_probe (id INT PRIMARY KEY)");
            }
            // Idle long enough for a Debezium heartbeat (10 s) and an offset flush (5 s) after the DDL.
            Thread.sleep(Duration.ofSeconds(20).toMillis());
            String offsetBefore = source.storedOffset();
            source.rest.restart(source.connector);
            source.awaitRunning();
            for (int i = 0; i < 40; i++) {
                committed.add(insert(source));
            }

            List<CdcSource.Change> changes = source.changes("transactions", committed.size(), Duration.ofMinutes(1));
            Set<Long> missing = new TreeSet<>(committed);
            missing.removeAll(changes.stream().map(CdcSource.Change::id).collect(Collectors.toSet()));
            assertThat(missing).as("committed ids missing from the CDC topic after a restart from offset %s", offsetBefore)
                    .isEmpty();
        }
    }

    /**
     * Steady single- and multi-row transactions (inserts, updates, deletes) while the connector is
     * restarted through REST, the Connect worker is SIGKILLed, the whole stack is restarted (each time
     * followed at once by a connector restart) and MariaDB is restarted, each twice, at random moments;
     * then every committed change is on the CDC topic at least once and in the lake exactly once.
     */
    @Test
    void everyCommittedChangeSurvivesRestartsKillsAndDatabaseRestarts(DevStack stack) throws Exception {
        long seed = Long.getLong("tributary.fault.seed", System.nanoTime()); // -Dtributary.fault.seed=N replays a schedule
        System.out.println("Fault schedule seed: " + seed + " (-Dtributary.fault.seed=" + seed + " repeats it)");
        Random random = new Random(seed);
        List<Fault> faults = new ArrayList<>(List.of(Fault.CONNECTOR_RESTART, Fault.CONNECTOR_RESTART,
                Fault.CONNECT_WORKER_KILL, Fault.CONNECT_WORKER_KILL, Fault.MARIADB_RESTART, Fault.MARIADB_RESTART,
                Fault.STACK_RESTART, Fault.STACK_RESTART));
        Collections.shuffle(faults, random);
        List<FaultRun.ScheduledFault> schedule = new ArrayList<>();
        int second = 0;
        for (Fault fault : faults) {
            second += 2 + random.nextInt(12);
            schedule.add(new FaultRun.ScheduledFault(Duration.ofSeconds(second), fault));
            if (fault == Fault.STACK_RESTART) { // right after the stack came back
                schedule.add(new FaultRun.ScheduledFault(Duration.ofSeconds(second), Fault.CONNECTOR_RESTART));
            }
        }
        try (FaultRun run = new FaultRun(stack.stack(), TributaryHome.connectorConfigs(), work,
                DevStack.uniqueName("r").replace("-", ""), new PrintWriter(System.out, true))) {
            run.start(0.0);
            run.drive(Duration.ofSeconds(second + 10), 10, 10, schedule);
            run.awaitCdcDelivery(Duration.ofMinutes(3)); // fails naming any committed change Debezium never sent
            run.drain(Duration.ofMinutes(5));
            assertThat(run.reconcile(work.resolve("mirror"))).isEmpty();
            assertThat(run.injected()).containsEntry(Fault.CONNECTOR_RESTART, 4).containsEntry(Fault.STACK_RESTART, 2)
                    .containsEntry(Fault.CONNECT_WORKER_KILL, 2).containsEntry(Fault.MARIADB_RESTART, 2);
        }
    }

    /**
     * A Debezium task that starts while its database is down fails for good (Connect does not retry
     * it); `connectors apply` of the unchanged config restarts it, and the rows committed meanwhile
     * reach the topic.
     */
    @Test
    void applyRestartsATaskThatStartedWhileTheDatabaseWasDown(DevStack stack) throws Exception {
        List<Long> committed = new ArrayList<>();
        try (CdcSource source = capturingOneRow(stack, committed)) {
            stack.stack().kill(MariaDbServer.NAME);
            source.rest.restart(source.connector);
            awaitFailedTask(source);
            stack.stack().restart(MariaDbServer.NAME);
            committed.add(insert(source));

            ConnectorFile file = new ConnectorFile(work.resolve(source.connector + ".json"), source.connector, source.config);
            StringWriter printed = new StringWriter();
            ApplyCommand.apply(List.of(file), stack.config().connectUrl(), Duration.ofMinutes(2), new PrintWriter(printed, true));
            assertThat(printed.toString()).contains(source.connector + " (" + source.connector + ".json): unchanged, its FAILED")
                    .contains(source.connector + ": connector RUNNING, task 0 RUNNING");
            assertThat(source.changes("transactions", 2, Duration.ofMinutes(1))).extracting(CdcSource.Change::id)
                    .containsAll(committed);
        }
    }

    private static void awaitFailedTask(CdcSource source) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = source.rest.status(source.connector);
            if (status != null && !ConnectRestClient.failedTasks(status).isEmpty()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the task of " + source.connector + " did not fail with its database down: "
                + source.rest.status(source.connector));
    }

    /** A fresh CDC source with one committed row, deployed, its change on the topic; the row's id added to {@code committed}. */
    private static CdcSource capturingOneRow(DevStack stack, List<Long> committed) throws Exception {
        CdcSource source = CdcSource.create(stack);
        committed.add(insert(source));
        source.deploy();
        assertThat(source.changes("transactions", 1, Duration.ofMinutes(1))).hasSize(1);
        return source;
    }

    private static long insert(CdcSource source) throws Exception {
        try (Connection c = source.jdbc(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO transactions (user_id, amount, status) VALUES ('u-1', 12.50, 'pending')",
                Statement.RETURN_GENERATED_KEYS)) {
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }
}
