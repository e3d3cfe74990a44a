package io.tributary.ops;

import io.tributary.devstack.StackException;
import io.tributary.ops.athena.AthenaCommand;
import io.tributary.ops.bench.BenchCommand;
import io.tributary.ops.cdc.CdcCommand;
import io.tributary.ops.connectors.ConnectorsCommand;
import io.tributary.ops.demo.DemoCommand;
import io.tributary.ops.lake.QueryCommand;
import io.tributary.ops.reliability.SoakCommand;
import io.tributary.ops.stack.DownCommand;
import io.tributary.ops.stack.StatusCommand;
import io.tributary.ops.stack.UpCommand;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `tributary` command line. */
@Command(name = "tributary", mixinStandardHelpOptions = true, version = "tributary 0.1.0-SNAPSHOT",
        description = "Real-time MySQL CDC and JSON events to an Avro/Parquet lake on S3.",
        subcommands = {DemoCommand.class, UpCommand.class, StatusCommand.class, DownCommand.class, ConnectorsCommand.class,
                AthenaCommand.class, QueryCommand.class, CdcCommand.class, BenchCommand.class, SoakCommand.class,
                CommandLine.HelpCommand.class})
public final class Tributary {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call it to run commands in-process. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Tributary())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof StackException || e instanceof CliError) {
                        cmd.getErr().println("error: " + e.getMessage());
                        return 1;
                    }
                    throw e;
                })
                // A bad flag value is one line naming it, and where to read about the flags; not the whole usage text.
                .setParameterExceptionHandler((e, args) -> {
                    CommandLine cmd = e.getCommandLine();
                    cmd.getErr().println("error: " + e.getMessage() + " (see `" + cmd.getCommandSpec().qualifiedName() + " --help`)");
                    return cmd.getCommandSpec().exitCodeOnInvalidInput();
                });
        cli.registerConverter(Duration.class, new DurationConverter());
        return cli;
    }
}
