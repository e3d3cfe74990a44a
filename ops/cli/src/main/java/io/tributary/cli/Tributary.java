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
        System.exit(commandLine(null, args).execute(args));
    }

    /** The command line with the extensions found and their settings before the environment. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The configured command line with every command; tests call it to run commands in-process.
     * {@code settings}, when given, replaces the extensions' settings (a test's own stack), still before
     * the environment.
     */
    public static CommandLine commandLine(Settings settings) {
        return commandLine(settings, new String[0]);
    }

    /**
     * The configured command line to run {@code args}: with only the command they start with, when they
     * name one (other than help), else with every command. Picocli reads a command's options by
     * reflection as it is added, about 0.3 s of every start for all of them; a replay or a status check
     * runs one.
     */
    public static CommandLine commandLine(Settings settings, String... args) {
        List<CliExtension> extensions = ServiceLoader.load(CliExtension.class).stream().map(ServiceLoader.Provider::get).toList();
        List<Object> commands = new ArrayList<>();
        extensions.forEach(e -> commands.addAll(e.commands()));
        commands.addAll(List.of(ConnectorsCommand.class, AthenaCommand.class, QueryCommand.class, CdcCommand.class,
                CompactCommand.class, ReplayCommand.class, DashboardsCommand.class, CommandLine.HelpCommand.class));
        CommandLine cli = new CommandLine(new Tributary());
        List<Object> named = args.length == 0 ? List.of()
                : commands.stream().filter(c -> c != CommandLine.HelpCommand.class && names(c).contains(args[0])).toList();
        (named.size() == 1 ? named : commands).forEach(cli::addSubcommand);
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
                .setParameterExceptionHandler((e, given) -> {
                    CommandLine cmd = e.getCommandLine();
                    cmd.getErr().println("error: " + e.getMessage() + " (see `" + cmd.getCommandSpec().qualifiedName() + " --help`)");
                    return cmd.getCommandSpec().exitCodeOnInvalidInput();
                });
        cli.registerConverter(Duration.class, new DurationConverter());
        return cli;
    }

    /** The names a command (object or class) answers to, from its annotation. */
    private static List<String> names(Object command) {
        Class<?> type = command instanceof Class<?> c ? c : command.getClass();
        Command annotation = type.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(annotation.aliases()));
        names.add(annotation.name());
        return names;
    }
}
