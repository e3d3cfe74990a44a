package io.tributary.cli.connectors;

import io.tributary.cli.common.TributaryHome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `tributary connectors apply`: creates or updates every connector of the environment on the worker
 * and waits until each connector and its tasks run. A connector whose running config already equals
 * the file is left alone: Connect restarts a connector on every config PUT, even an unchanged one,
 * and a needless restart of a CDC connector re-reads the binlog from its last offset.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Create or update the connectors of connectors/config/ and wait until they are RUNNING.")
public final class ApplyCommand implements Callable<Integer> {
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
        apply(ConnectorFile.load(dir != null ? dir : TributaryHome.connectorConfigs(), environment), target.connectUrl(), timeout,
                spec.commandLine().getOut());
        return 0;
    }

    /** What applying one file did. */
    public enum Change { CREATED, UPDATED, UNCHANGED }

    /**
     * Creates or updates every connector whose config differs from its file (unchanged ones are not
     * touched), then waits until each connector and all its tasks run; prints what it did and their state.
     */
    public static void apply(List<ConnectorFile> files, String connectUrl, Duration timeout, PrintWriter out) {
        ConnectRestClient rest = new ConnectRestClient(connectUrl);
        for (ConnectorFile file : files) {
            Change change = apply(rest, file);
            out.printf("  %s (%s): %s on %s%n", file.name(), file.path().getFileName(),
                    change.name().toLowerCase(java.util.Locale.ROOT), connectUrl);
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
                return Change.UNCHANGED;
            }
        }
        rest.putConfig(file.name(), file.config());
        return running == null ? Change.CREATED : Change.UPDATED;
    }

}
