package io.tributary.dev.bench;

import picocli.CommandLine.Command;

/** `tributary bench ...`: benchmarks that print figures next to a same-run baseline. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks with a same-run baseline.",
        subcommands = {BenchStreamsCommand.class, BenchSinkCommand.class, BenchReplayCommand.class, BenchCompactCommand.class,
                BenchVerifyCommand.class, BenchDashboardCommand.class, BenchFreshnessCommand.class,
                BenchScaleCommand.class})
public final class BenchCommand {
}
