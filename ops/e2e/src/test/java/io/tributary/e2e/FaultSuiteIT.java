package io.tributary.e2e;

import static io.tributary.dev.reliability.Fault.BROKER_KILL;
import static io.tributary.dev.reliability.Fault.CONNECT_WORKER_KILL;
import static io.tributary.dev.reliability.Fault.MARIADB_KILL;
import static io.tributary.dev.reliability.Fault.STREAMS_APP_KILL;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.common.TributaryHome;
import io.tributary.dev.reliability.Fault;
import io.tributary.dev.reliability.FaultRun.ScheduledFault;
import io.tributary.dev.reliability.FaultRun;
import io.tributary.dev.reliability.LedgerDatabase;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once through real crashes: a steady load of events and database transactions (inserts,
 * updates, deletes, single- and multi-row) while the Connect worker (Debezium and the sink), the
 * streams app, MariaDB and the Kafka broker are SIGKILLed and 10% of the sink's S3 requests fail;
 * then every event and every committed change is in the lake exactly once, nothing else is, and
 * the latest lake row of each key equals the database's.
 */
@ExtendWith(DevStackExtension.class)
class FaultSuiteIT {
    @TempDir
    Path work;

    @Test
    void everythingLandsExactlyOnceThroughSigkillsOfEveryComponentAndFailingS3(DevStack stack) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        List<ScheduledFault> schedule = List.of(
                at(10, CONNECT_WORKER_KILL), at(20, STREAMS_APP_KILL), at(30, MARIADB_KILL),
                at(40, CONNECT_WORKER_KILL), at(50, STREAMS_APP_KILL), at(60, BROKER_KILL),
                at(70, CONNECT_WORKER_KILL), at(80, STREAMS_APP_KILL));
        try (FaultRun run = new FaultRun(stack.stack(), TributaryHome.connectorConfigs(), work,
                DevStack.uniqueName("f").replace("-", ""), out)) {
            run.start(0.10);
            run.drive(Duration.ofSeconds(90), 40, 8, schedule);
            Map<LedgerDatabase.Change, Integer> delivered = run.awaitCdcDelivery(Duration.ofMinutes(3));
            run.drain(Duration.ofMinutes(5));
            List<String> mismatches = run.reconcile(work.resolve("mirror"));

            assertThat(run.injected()).containsEntry(CONNECT_WORKER_KILL, 3).containsEntry(STREAMS_APP_KILL, 3)
                    .containsEntry(MARIADB_KILL, 1).containsEntry(BROKER_KILL, 1);
            assertThat(run.databaseChanges()).isGreaterThan(300);
            assertThat(run.events().good()).isGreaterThan(2000);
            assertThat(mismatches).isEmpty();
            System.out.printf("Debezium re-sent %d changes; the lake holds each once%n",
                    delivered.values().stream().mapToLong(n -> n - 1).sum());
        }
    }

    private static ScheduledFault at(int second, Fault fault) {
        return new ScheduledFault(Duration.ofSeconds(second), fault);
    }
}
