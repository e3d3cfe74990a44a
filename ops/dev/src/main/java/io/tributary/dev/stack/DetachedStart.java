package io.tributary.dev.stack;

import io.tributary.cli.Tributary;
import io.tributary.cli.common.TributaryHome;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.StackException;
import io.tributary.devstack.StackState;
import io.tributary.devstack.process.LogTail;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * `tributary up --detach`: runs `tributary up` as a background process in its own session (so it
 * outlives this shell), and returns once that process reports the stack ready, or fails with the
 * end of its log if it exits first.
 */
public final class DetachedStart implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private final StackOptions options;
    private final boolean reset;
    private final CommandSpec spec;

    public DetachedStart(StackOptions options, boolean reset, CommandSpec spec) {
        this.options = options;
        this.reset = reset;
        this.spec = spec;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        StackConfig config = options.toConfig();
        StackState.lock(config.dataDir()).close(); // fails now, clearly, if a stack already runs there
        Path log = config.logDir().resolve("stack.log");
        Files.createDirectories(config.logDir());
        Process process = new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        out.println("Starting the local stack in the background (pid " + process.pid() + ", log " + log + ") ...");
        out.flush();
        Instant deadline = Instant.now().plus(TIMEOUT);
        long shown = 0;
        while (Instant.now().isBefore(deadline)) {
            Optional<StackState.Running> state = readQuietly(config.dataDir());
            if (state.isPresent() && state.get().pid() == process.pid() && state.get().ready()) {
                out.println("Tributary local stack is up:");
                config.endpoints().forEach((name, value) -> out.printf("  %-26s %s%n", name, value));
                out.println("Stop it with `./tributary down`.");
                return 0;
            }
            shown = echoNewOutput(log, shown, out);
            if (!process.isAlive()) {
                throw new StackException("The background stack exited with code " + process.exitValue()
                        + ". Last lines of " + log + ":\n" + LogTail.of(log, 20));
            }
            Thread.sleep(500);
        }
        process.destroy();
        throw new StackException("The background stack did not become ready within " + TIMEOUT.toMinutes()
                + " minutes; stopped it. See " + log + ".");
    }

    /** Prints what the background stack logged since {@code from} (its progress lines); returns the new offset. */
    private static long echoNewOutput(Path log, long from, PrintWriter out) throws IOException {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(log.toFile(), "r")) {
            if (file.length() <= from) {
                return from;
            }
            byte[] bytes = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            int complete = lastNewline(bytes) + 1; // whole lines only; the rest is shown next time
            if (complete > 0) {
                out.print(new String(bytes, 0, complete, StandardCharsets.UTF_8).indent(2));
                out.flush();
            }
            return from + complete;
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static Optional<StackState.Running> readQuietly(Path dataDir) {
        try {
            return StackState.read(dataDir);
        } catch (StackException e) {
            return Optional.empty(); // being written right now
        }
    }

    private List<String> command() {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String home = System.getProperty(TributaryHome.PROPERTY);
        if (home != null) {
            cmd.add("-D" + TributaryHome.PROPERTY + "=" + home);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Tributary.class.getName()));
        cmd.addAll(upArguments(spec, reset));
        return cmd;
    }

    /**
     * `up` with the stack flags as they were given to this command (every option of its
     * {@link StackOptions} that was set, so that a new flag needs no code here), and {@code --reset}.
     * What was not given the background process takes from the same environment and defaults.
     */
    static List<String> upArguments(CommandSpec spec, boolean reset) {
        ParseResult parsed = spec.commandLine().getParseResult();
        List<String> args = new ArrayList<>(List.of("up"));
        spec.mixins().values().stream().filter(m -> m.userObject() instanceof StackOptions)
                .flatMap(m -> m.options().stream())
                .filter(option -> parsed.hasMatchedOption(option))
                .forEach(option -> parsed.matchedOption(option.longestName()).originalStringValues().forEach(value -> {
                    args.add(option.longestName());
                    args.add(value);
                }));
        if (reset) {
            args.add("--reset");
        }
        return args;
    }
}
