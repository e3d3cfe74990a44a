package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line built for a run's arguments holds only the command they name (a start reads one
 * command's options, not every command's), and that command is the same as in the full command line.
 */
class TributaryCommandLineTest {
    private final CommandLine full = Tributary.commandLine(null);

    @Test
    void argumentsNamingACommandBuildOnlyThatCommand() {
        Set<String> names = full.getSubcommands().keySet();
        assertThat(names).contains("connectors", "athena", "replay", "dashboards", "help");
        for (String name : names) {
            if (name.equals("help")) {
                continue;
            }
            CommandLine one = Tributary.commandLine(null, name, "--help");
            String command = full.getSubcommands().get(name).getCommandName();
            assertThat(one.getSubcommands().values().stream().map(CommandLine::getCommandName).distinct())
                    .as(name).containsExactly(command);
            assertThat(one.getSubcommands().get(name).getUsageMessage()).as(name + " --help")
                    .isEqualTo(full.getSubcommands().get(name).getUsageMessage());
        }
    }

    @Test
    void helpTopLevelOptionsAndUnknownWordsGetEveryCommand() {
        for (List<String> args : List.of(List.<String>of(), List.of("help", "replay"), List.of("--help"), List.of("--version"),
                List.of("replya", "--table", "t"))) {
            assertThat(Tributary.commandLine(null, args.toArray(String[]::new)).getSubcommands().keySet()).as(args.toString())
                    .isEqualTo(full.getSubcommands().keySet());
        }
    }
}
