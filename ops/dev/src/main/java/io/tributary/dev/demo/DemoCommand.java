package io.tributary.dev.demo;

import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.lake.LocalLake;
import io.tributary.dev.stack.DetachedStart;
import io.tributary.dev.stack.LocalStackLake;
import io.tributary.dev.stack.StackOptions;
import io.tributary.dev.stack.StackSession;
import io.tributary.devstack.StackState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `tributary demo`: the whole pipeline on the local stack, from MariaDB and application events to
 * Parquet in S3 and to the dashboards (PostgreSQL and the live page), with a report that reconciles
 * what was sent with what the lake holds, and each dashboard aggregate with the same aggregate over the lake.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline on the local stack for a while and show what reached the lake.")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    StackOptions stackOptions;

    @Option(names = "--duration", defaultValue = "PT2M", description = "How long to send events and changes (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--rate", defaultValue = "20", description = "Application events per second (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--dashboard-port", defaultValue = "18088",
            description = "Port of the live dashboard page on 127.0.0.1 (0: any free port; default ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(names = "--keep", description = "Leave the stack running afterwards (in the data dir, like `up --detach`), to explore.")
    boolean keep;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean running = StackState.read(stackOptions.dataDir()).filter(StackState.Running::processAlive).isPresent();
        if (keep && !running) {
            new DetachedStart(stackOptions, false, spec).call();
        }
        try (StackSession session = StackSession.open(stackOptions, out);
             DemoRun run = new DemoRun(session.config(), TributaryHome.connectorConfigs(), dashboardPort, out)) {
            run.setUp();
            run.measureFreshness();
            out.printf("==> Sending %d events/s and changing transactions for %s (master %d is renamed halfway)%n",
                    rate, duration, DemoRun.RENAMED_MASTER);
            run.drive(duration, rate, second -> { });
            run.drain(Duration.ofMinutes(2));
            run.compact();
            List<String> mismatches; // the pipeline still runs: the dashboard tables catch up while the report reads them
            try (LocalLake lake = LocalStackLake.open(session.config(), session.config().dataDir().resolve("lake-mirror"))) {
                mismatches = new DemoReport(run, lake, out).print();
            }
            out.println();
            if (!mismatches.isEmpty()) {
                out.println("The demo FAILED: " + String.join("; ", mismatches));
                return 1;
            }
            out.println(keep || running
                    ? "Done. The stack keeps running (the dashboard page stopped with the demo): explore with "
                            + "`./tributary connectors status`; stop it with `./tributary down`."
                    : "Done. The temporary stack is stopped; run `./tributary demo --keep` to explore afterwards.");
            return 0;
        }
    }
}
