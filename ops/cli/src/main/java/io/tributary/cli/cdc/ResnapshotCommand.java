package io.tributary.cli.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cli.common.CliError;
import io.tributary.cli.common.KafkaTarget;
import io.tributary.cli.connectors.ConnectRestClient;
import io.tributary.cli.connectors.ConnectTarget;
import io.tributary.cli.connectors.ConnectorFile;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `tributary cdc resnapshot`: asks the running Debezium connector, through its signal table, for an
 * incremental snapshot of a whole table and waits until Debezium reports it complete (its
 * notifications, {@link SnapshotNotifications}). Every row of the table then reaches the lake as a
 * {@code _op = r} change with a binlog position after all earlier changes, so it becomes each key's
 * current row; for a table whose change history Kafka and the raw archive no longer hold.
 */
@Command(name = "resnapshot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Re-read a whole CDC table through a Debezium incremental snapshot (signal table, no locks) and wait "
                + "until it is complete: every row reaches the lake again as an _op = r change. For when the archive and "
                + "Kafka no longer reach back to the table's first changes.",
                "Exit code: 0 complete; 1 failed (the message says what to do)."})
public final class ResnapshotCommand implements Callable<Integer> {
    @Option(names = "--table", required = true, paramLabel = "DB.TABLE", description = "The table, e.g. shop.masters.")
    String table;

    @Option(names = "--wait", defaultValue = "10m",
            description = "How long to wait for Debezium to finish the snapshot (default ${DEFAULT-VALUE}).")
    Duration wait;

    @Mixin
    CdcSourceOptions source;

    @Mixin
    ConnectTarget connect;

    /** Where Debezium's notifications are. */
    @Mixin
    KafkaTarget kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ConnectorFile> files = source.connectorFiles();
        CapturedTables captured = CapturedTables.of(files);
        if (!captured.tables().contains(table)) {
            throw new CliError(table + " is not a table the Debezium connector captures (" + String.join(", ", captured.tables())
                    + "); add it to table.include.list first");
        }
        String connector = files.stream().filter(ConnectorFile::isDebeziumSource).findFirst().orElseThrow().name();
        Map<String, String> config = runningConfig(connect.rest(), connector);
        String signalTable = config.getOrDefault("signal.data.collection", "");
        if (signalTable.isBlank()) {
            throw new CliError("Connector " + connector + " has no signal.data.collection: an incremental snapshot is asked for "
                    + "through the signal table; set it as connectors/config does and apply the config");
        }
        String topic = notificationTopic(connector, config);
        try (SnapshotNotifications notifications = SnapshotNotifications.open(kafka.clientProperties(), topic);
             SourceDatabase db = source.open()) {
            String id = SnapshotSignal.send(db, signalTable, table, null);
            out.printf("asked %s for an incremental snapshot of %s (signal %s in %s); waiting up to %s%n", connector, table, id,
                    signalTable, wait);
            out.flush();
            SnapshotNotifications.Outcome done = notifications.await(id, wait, line -> {
                out.println("  " + line);
                out.flush();
            });
            out.printf("%s: incremental snapshot complete, %,d rows read (%s); they reach the lake as _op = r rows within the "
                    + "pipeline's flush interval%n", table, done.rowsRead(), done.tableStatus());
            return 0;
        } catch (java.sql.SQLException e) {
            throw new CliError("Closing the connection to the source database failed: " + e.getMessage());
        }
    }

    /** The connector's deployed config, after checking that it runs (a stopped connector would not read the signal). */
    private static Map<String, String> runningConfig(ConnectRestClient rest, String connector) {
        JsonNode status = rest.status(connector);
        if (status == null) {
            throw new CliError("Connector " + connector + " is not deployed on the Connect worker; deploy it with "
                    + "`tributary connectors apply` first");
        }
        if (!ConnectRestClient.isRunning(status, -1)) {
            throw new CliError("Connector " + connector + " is not running (" + ConnectRestClient.summary(status) + "); "
                    + "fix it first (`tributary connectors status`), the signal is read only by a running connector");
        }
        return rest.config(connector);
    }

    /** The Kafka topic of the connector's notifications; fails when it sends none there. */
    static String notificationTopic(String connector, Map<String, String> config) {
        boolean sink = Arrays.stream(config.getOrDefault("notification.enabled.channels", "").split(","))
                .map(String::trim).anyMatch("sink"::equals);
        String topic = config.getOrDefault("notification.sink.topic.name", "");
        if (!sink || topic.isBlank()) {
            throw new CliError("Connector " + connector + " sends no notifications to Kafka, so the end of the snapshot cannot be "
                    + "seen: set notification.enabled.channels=sink and notification.sink.topic.name (as connectors/config does) "
                    + "and apply the config");
        }
        return topic;
    }
}
