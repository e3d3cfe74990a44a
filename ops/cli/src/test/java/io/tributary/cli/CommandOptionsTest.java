package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.common.Settings;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Each command offers only the options it uses: the Athena DDL names the lake but reads no object,
 * `athena usage` keeps no local copy, `connectors apply` reads no Kafka topic. The commands that read
 * the lake never start a stack of their own: without a lake they say how to get one.
 */
class CommandOptionsTest {
    private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version");

    @Test
    void connectorsCommandsOfferTheWorkerAndOnlyStatusAsksForKafka() {
        assertThat(options("connectors", "apply")).containsExactly("--connect-url", "--connect-user", "--dir", "--environment",
                "--timeout");
        assertThat(options("connectors", "status")).containsExactly("--bootstrap-servers", "--connect-url", "--connect-user",
                "--kafka-config");
    }

    @Test
    void onlyCommandsThatReadOrWriteLakeObjectsOfferAnEndpointAndAWorkDir() {
        for (String athena : new String[] {"ddl", "apply"}) {
            assertThat(options("athena", athena)).as("athena " + athena).contains("--bucket", "--prefix")
                    .doesNotContain("--s3-endpoint", "--work-dir");
        }
        assertThat(options("athena", "usage")).contains("--bucket", "--prefix", "--s3-endpoint").doesNotContain("--work-dir");
        for (String[] command : new String[][] {{"query"}, {"athena", "verify"}, {"compact"}, {"replay"}, {"cdc", "verify"}}) {
            assertThat(options(command)).as(String.join(" ", command)).contains("--bucket", "--prefix", "--s3-endpoint", "--work-dir");
        }
    }

    @Test
    void queryAndAthenaVerifyWithoutALakeSayHowToGetOne() {
        for (String[] args : new String[][] {{"query", "SELECT 1"}, {"athena", "verify"}}) {
            CliRun run = CliRun.with(Settings.of(Map.of()), args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isNotZero();
            assertThat(run.err()).contains("--bucket is required: pass it, or set TRIBUTARY_LAKE_BUCKET",
                    "./tributary up --detach").doesNotContain("\tat ");
        }
    }

    private static Set<String> options(String... command) {
        CommandLine cli = Tributary.commandLine(Settings.of(Map.of()));
        for (String name : command) {
            cli = cli.getSubcommands().get(name);
        }
        Set<String> names = new TreeSet<>();
        for (OptionSpec option : cli.getCommandSpec().options()) {
            if (!option.hidden()) {
                names.addAll(Set.of(option.names()));
            }
        }
        names.removeAll(HELP);
        return names;
    }
}
