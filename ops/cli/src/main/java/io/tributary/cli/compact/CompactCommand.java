package io.tributary.cli.compact;

import io.tributary.cli.aws.AwsOptions;
import io.tributary.cli.common.CliError;
import io.tributary.cli.lake.LakeOptions;
import io.tributary.cli.lake.WorkDir;
import io.tributary.lake.store.S3Storage;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `tributary compact`: merges the small objects of closed table hours and records complete hours
 * (README, "Compaction and complete hours"). A scheduled process rather than a Connect task or part
 * of the sink: it needs no Kafka, runs beside any number of sink tasks without touching their
 * exactly-once path, and a crash at any point is finished by the next pass.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Merge the small objects of closed lake hours into few large ones and record complete hours.")
public final class CompactCommand implements Callable<Integer> {
    @Mixin
    LakeOptions lake;

    @Mixin
    WorkDir workDir;

    @Mixin
    AwsOptions aws;

    @Option(names = "--tables", split = ",", description = "Tables to compact (default: every table the sink writes).")
    List<String> tables;

    @Option(names = "--lateness", defaultValue = "10m",
            description = "How far behind the table's event-time watermark (the latest event time in its lake) an hour's end must "
                    + "be for the hour to close; rows later than this reopen it (default ${DEFAULT-VALUE}).")
    Duration lateness;

    @Option(names = "--idle-close", defaultValue = "1h",
            description = "How long after its end, by the clock, an hour closes even when its table's watermark stands still "
                    + "(a table that went quiet); at least --lateness (default ${DEFAULT-VALUE}).")
    Duration idleClose;

    @Option(names = "--horizon", defaultValue = "2d",
            description = "How far back hours are looked at, and CDC tables' daily snapshots rebuilt; late rows older than this stay "
                    + "uncompacted and out of the snapshots (default ${DEFAULT-VALUE}).")
    Duration horizon;

    @Option(names = "--target-mib", defaultValue = "128", description = "Size merged objects grow to, in MiB (default ${DEFAULT-VALUE}).")
    long targetMib;

    @Option(names = "--every", description = "Run a pass every this long until stopped (default: one pass).")
    Duration every;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (tables == null) {
            tables = Contracts.PIPELINE_TABLES;
        }
        for (String table : tables) {
            if (!Contracts.PIPELINE_TABLES.contains(table)) {
                throw new CliError("--tables: " + table + " is not a table the sink writes; use some of " + Contracts.PIPELINE_TABLES);
            }
        }
        if (targetMib < 1) {
            throw new CliError("--target-mib must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        Compactor.Settings settings = new Compactor.Settings(targetMib << 20, lateness, horizon, Duration.ofMinutes(2), idleClose);
        Path work = workDir.dir("compact");
        try (S3Storage store = new S3Storage(lake.s3(aws), lake.bucket(), 16 << 20, "", "")) {
            Compactor compactor = new Compactor(store, new LakePath(lake.prefix()), work, settings, Clock.systemUTC());
            while (true) {
                Compactor.Pass pass;
                try {
                    pass = compactor.pass(tables);
                } catch (IOException e) {
                    String reason = "compaction pass failed: " + e.getMessage().lines().findFirst().orElse("")
                            + " (the next pass finishes or undoes what this one started; check the bucket, --s3-endpoint, and "
                            + "s3:GetObject, s3:PutObject, s3:DeleteObject and s3:ListBucket on it)";
                    if (every == null) {
                        throw new CliError(reason, e);
                    }
                    spec.commandLine().getErr().println("error: " + reason);
                    Thread.sleep(every.toMillis());
                    continue;
                }
                out.printf("compact: %d closed hour(s) with objects, %d compacted (%d objects -> %d, %.1f MiB written), "
                        + "%d busy, %d interrupted replacement(s) finished, %d snapshot day(s) changed%n", pass.closedHours(),
                        pass.compacted(), pass.objectsBefore(), pass.objectsAfter(), pass.bytesWritten() / 1048576.0, pass.busy(),
                        pass.recovered(), pass.snapshotDays());
                out.flush();
                if (every == null) {
                    return 0;
                }
                Thread.sleep(every.toMillis());
            }
        } finally {
            if (Files.isDirectory(work)) {
                try (var left = Files.list(work)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(work);
                    }
                }
            }
        }
    }
}
