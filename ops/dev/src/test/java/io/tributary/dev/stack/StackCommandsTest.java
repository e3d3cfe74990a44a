package io.tributary.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.CliRun;
import io.tributary.cli.Tributary;
import io.tributary.devstack.StackState;
import io.tributary.testing.FreePorts;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The stack commands' answers in bad situations: clear messages and exit codes, no stack traces. */
class StackCommandsTest {
    @TempDir
    Path dir;

    @Test
    void downWithNothingRunningSaysSoAndSucceeds() {
        CliRun run = CliRun.of("down", "--data-dir", dir.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("No stack is running").contains("nothing to stop");
    }

    @Test
    void statusWithNothingRunningExitsWith3() {
        CliRun run = CliRun.of("status", "--data-dir", dir.toString());
        assertThat(run.exitCode()).isEqualTo(StatusCommand.NOT_RUNNING);
        assertThat(run.out()).contains("No stack is running").contains("./tributary up");
    }

    @Test
    void upOnAPortInUseNamesThePortWithoutAStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            // Every other port free, so that a stack running on the default ports does not answer first.
            // Picked together, so no two are the same (one at a time, the OS may hand a port out twice).
            int[] free = FreePorts.pick(7);
            CliRun run = CliRun.of("up", "--data-dir", dir.toString(), "--registry-port", String.valueOf(taken.getLocalPort()),
                    "--kafka-port", String.valueOf(free[0]), "--controller-port", String.valueOf(free[1]),
                    "--connect-port", String.valueOf(free[2]), "--s3-port", String.valueOf(free[3]),
                    "--mariadb-port", String.valueOf(free[4]), "--postgres-port", String.valueOf(free[5]),
                    "--connect-metrics-port", String.valueOf(free[6]));
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).startsWith("error: Port " + taken.getLocalPort())
                    .contains("schema registry").doesNotContain("\tat ");
        }
    }

    @Test
    void secondUpWhileOneHoldsTheDataDirIsRefused() throws Exception {
        try (AutoCloseable running = StackState.lock(dir)) {
            CliRun run = CliRun.of("up", "--data-dir", dir.toString());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("A stack is already running with data dir " + dir)
                    .contains("tributary down");
            CliRun detached = CliRun.of("up", "--detach", "--data-dir", dir.toString());
            assertThat(detached.exitCode()).isEqualTo(1);
            assertThat(detached.err()).contains("already running");
        }
    }

    /** `up --detach` and `demo` start `up` in the background with exactly the stack flags they were given. */
    @Test
    void theBackgroundUpGetsTheStackFlagsAsGiven() {
        CommandLine cli = Tributary.commandLine();
        CommandLine up = cli.getSubcommands().get("up");
        cli.parseArgs("up", "--detach", "--kafka-port", "19092", "--data-dir=" + dir, "--reset");
        assertThat(DetachedStart.upArguments(up.getCommandSpec(), true))
                .containsExactlyInAnyOrder("up", "--kafka-port", "19092", "--data-dir", dir.toString(), "--reset");

        CommandLine demo = cli.getSubcommands().get("demo");
        cli.parseArgs("demo", "--keep", "--s3-port", "19000");
        assertThat(DetachedStart.upArguments(demo.getCommandSpec(), false)).containsExactly("up", "--s3-port", "19000");
    }

    @Test
    void corruptStateFileIsNamed() throws Exception {
        Files.writeString(StackState.file(dir), "{ not json");
        CliRun run = CliRun.of("status", "--data-dir", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("stack state file").contains("is corrupt");
    }

    @Test
    void staleStateOfADeadProcessIsCleanedUpByDown() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.writeString(StackState.file(dir), "{\"pid\":" + dead.pid() + ",\"startedAt\":\"2026-01-01T00:00:00Z\","
                + "\"ready\":true,\"kafkaPort\":1,\"controllerPort\":2,\"registryPort\":3,\"connectPort\":4,"
                + "\"s3Port\":5,\"mariadbPort\":6,\"bucket\":\"b\",\"extraPluginDirs\":[]}");
        assertThat(CliRun.of("status", "--data-dir", dir.toString()).exitCode()).isEqualTo(StatusCommand.NOT_RUNNING);
        CliRun run = CliRun.of("down", "--data-dir", dir.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("no longer running");
        assertThat(StackState.file(dir)).doesNotExist();
    }
}
