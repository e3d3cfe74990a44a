package io.tributary.ops.connectors;

import io.tributary.devstack.connect.ConnectRestClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `tributary connectors apply`: PUTs every config of the environment to the worker (create or
 * update: running it twice changes nothing) and waits until each connector and its tasks run.
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
        apply(ConnectorFile.load(dir != null ? dir : defaultDir(), environment), target.connectUrl(), timeout,
                spec.commandLine().getOut());
        return 0;
    }

    /** PUTs every config (create or update), then waits until each connector and all its tasks run; prints their state. */
    public static void apply(List<ConnectorFile> files, String connectUrl, Duration timeout, PrintWriter out) {
        ConnectRestClient rest = new ConnectRestClient(connectUrl);
        for (ConnectorFile file : files) {
            out.printf("  %s (%s): applying to %s%n", file.name(), file.path().getFileName(), connectUrl);
            out.flush();
            rest.putConfig(file.name(), file.config());
        }
        for (ConnectorFile file : files) {
            out.printf("  %s: %s%n", file.name(), ConnectRestClient.summary(rest.awaitRunning(file.name(), -1, timeout, line -> { })));
            out.flush();
        }
    }

    public static Path defaultDir() {
        return Path.of(System.getProperty("tributary.home", "."), "connectors", "config");
    }
}
