package io.tributary.cli;

import io.tributary.cli.athena.AthenaCommand;
import io.tributary.cli.cdc.CdcCommand;
import io.tributary.cli.common.CliError;
import io.tributary.cli.common.DurationConverter;
import io.tributary.cli.common.SettingDefaults;
import io.tributary.cli.common.Settings;
import io.tributary.cli.compact.CompactCommand;
import io.tributary.cli.connectors.ConnectorsCommand;
import io.tributary.cli.dashboards.DashboardsCommand;
import io.tributary.cli.lake.QueryCommand;
import io.tributary.cli.replay.ReplayCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The `tributary` command line: the production commands, plus what {@link CliExtension}s on the
 * classpath add (./tributary runs with the dev tools' extension: the local stack's commands and
 * endpoints).
 */
@Command(name = "tributary", mixinStandardHelpOptions = true, version = "tributary 0.1.0-SNAPSHOT",
        description = "Real-time MySQL CDC and JSON events to an Avro/Parquet lake on S3.")
public final class Tributary {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the extensions found and their settings before the environment. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The configured command line; tests call it to run commands in-process. {@code settings}, when
     * given, replaces the extensions' settings (a test's own stack), still before the environment.
     */
    public static CommandLine commandLine(Settings settings) {
        List<CliExtension> extensions = ServiceLoader.load(CliExtension.class).stream().map(ServiceLoader.Provider::get).toList();
        CommandLine cli = new CommandLine(new Tributary());
        for (CliExtension extension : extensions) {
            extension.commands().forEach(cli::addSubcommand);
        }
        for (Class<?> command : List.of(ConnectorsCommand.class, AthenaCommand.class, QueryCommand.class, CdcCommand.class,
                CompactCommand.class, ReplayCommand.class, DashboardsCommand.class, CommandLine.HelpCommand.class)) {
            cli.addSubcommand(command);
        }
        Settings first = settings;
        if (first == null) {
            first = name -> null;
            for (CliExtension extension : extensions) {
                first = first.orElse(extension.settings());
            }
        }
        List<Class<? extends Exception>> expected = new ArrayList<>(List.of(CliError.class));
        extensions.forEach(e -> expected.addAll(e.expectedErrors()));
        cli.setDefaultValueProvider(new SettingDefaults(first.orElse(Settings.environment())))
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (expected.stream().anyMatch(type -> type.isInstance(e))) {
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
