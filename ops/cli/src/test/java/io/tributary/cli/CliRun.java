package io.tributary.cli;

import io.tributary.cli.common.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the CLI in-process, captures what it prints, and echoes the transcript to the test log. */
public record CliRun(int exitCode, String out, String err) {
    /** With the settings the CLI finds itself (extensions, then the environment). */
    public static CliRun of(String... args) {
        return run(Tributary.commandLine(), args);
    }

    /** With these settings before the environment, e.g. a test's own stack's endpoints. */
    public static CliRun with(Settings settings, String... args) {
        return run(Tributary.commandLine(settings), args);
    }

    private static CliRun run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        System.out.println("$ tributary " + String.join(" ", args) + "\n" + out + err);
        return new CliRun(code, out.toString(), err.toString());
    }
}
