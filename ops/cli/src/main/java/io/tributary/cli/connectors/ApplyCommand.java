package io.tributary.cli.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cli.common.CliError;
import io.tributary.cli.common.TributaryHome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `tributary connectors apply`: has the worker validate every connector config of the environment
 * (nothing is deployed while one is invalid), creates or updates each connector and waits until each
 * connector and its tasks run. A connector whose running config already equals
 * the file is left alone: Connect restarts a connector on every config PUT, even an unchanged one,
 * and a needless restart of a CDC connector re-reads the binlog from its last offset. Only what has
 * FAILED in it is restarted: a Debezium task that started while its database was down (a restart,
 * an Aurora failover) stays FAILED until something restarts it, and apply is how an operator says
 * "make it run as in the files".
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Validate the connectors of connectors/config/ on the worker, create or update them and wait until they "
                + "are RUNNING.")
public final class ApplyCommand implements Callable<Integer> {
    private static final Duration RESTART_SHOWN = Duration.ofSeconds(15);

    @Mixin
    ConnectTarget target;

    @Option(names = "--dir", paramLabel = "DIR", description = "Folder of the connector JSON files (default: <repo>/connectors/config).")
    Path dir;

    @Option(names = "--environment", defaultValue = "local",
            description = "Which configs: local (the local stack, MariaDB) or production (MySQL); default ${DEFAULT-VALUE}.")
    String environment;

    @Option(names = "--timeout", defaultValue = "PT2M", description = "How long to wait for RUNNING (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        apply(ConnectorFile.load(dir != null ? dir : TributaryHome.connectorConfigs(), environment), target.rest(),
                target.connectUrl(), timeout, spec.commandLine().getOut());
        return 0;
    }

    /** What applying one file did. */
    public enum Change {
        CREATED, UPDATED, UNCHANGED, RESTARTED_FAILED;

        String describe() {
            return this == RESTARTED_FAILED ? "unchanged, its FAILED connector or tasks restarted" : name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@link #apply(List, ConnectRestClient, String, Duration, PrintWriter)} on a worker without REST auth. */
    public static void apply(List<ConnectorFile> files, String connectUrl, Duration timeout, PrintWriter out) {
        apply(files, new ConnectRestClient(connectUrl), connectUrl, timeout, out);
    }

    /**
     * Has the worker validate every file's config and stops, printing each problem on its own line,
     * when one is invalid; else creates or updates every connector whose config differs from its file
     * (unchanged ones are not touched), then waits until each connector and all its tasks run; prints
     * what it did and their state.
     */
    public static void apply(List<ConnectorFile> files, ConnectRestClient rest, String connectUrl, Duration timeout, PrintWriter out) {
        int problems = 0;
        for (ConnectorFile file : files) {
            for (String error : rest.validate(file.name(), file.config())) {
                out.printf("  %s (%s): invalid: %s%n", file.name(), file.path().getFileName(), error);
                problems++;
            }
        }
        out.flush();
        if (problems > 0) {
            throw new CliError(problems + " problem(s) in the connector configs (listed above), as the worker at " + connectUrl
                    + " validated them; nothing was applied. Fix the files or the worker's environment and run apply again.");
        }
        for (ConnectorFile file : files) {
            Change change = apply(rest, file);
            out.printf("  %s (%s): %s on %s%n", file.name(), file.path().getFileName(), change.describe(), connectUrl);
            out.flush();
        }
        for (ConnectorFile file : files) {
            out.printf("  %s: %s%n", file.name(), ConnectRestClient.summary(rest.awaitRunning(file.name(), -1, timeout, line -> { })));
            out.flush();
        }
    }

    static Change apply(ConnectRestClient rest, ConnectorFile file) {
        Map<String, String> running = rest.config(file.name());
        if (running != null) {
            Map<String, String> desired = new HashMap<>(file.config());
            desired.put("name", file.name()); // Connect adds it to the stored config
            if (desired.equals(running)) {
                return restartIfFailed(rest, file.name());
            }
        }
        rest.putConfig(file.name(), file.config());
        return running == null ? Change.CREATED : Change.UPDATED;
    }

    /**
     * Restarts what has FAILED in the connector and waits (up to {@link #RESTART_SHOWN}) until the
     * status no longer shows it FAILED: the worker answers the restart request before it records the
     * restart, so the old FAILED state would otherwise end the wait for RUNNING at once.
     */
    private static Change restartIfFailed(ConnectRestClient rest, String name) {
        if (!hasFailed(rest.status(name))) {
            return Change.UNCHANGED;
        }
        rest.restartFailed(name);
        long deadline = System.nanoTime() + RESTART_SHOWN.toNanos();
        while (hasFailed(rest.status(name)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliError("Interrupted while restarting the FAILED tasks of " + name);
            }
        }
        return Change.RESTARTED_FAILED;
    }

    private static boolean hasFailed(JsonNode status) {
        return status != null && ("FAILED".equals(status.at("/connector/state").asText())
                || !ConnectRestClient.failedTasks(status).isEmpty());
    }

}
