package io.tributary.dev.stack;

import io.tributary.devstack.StackConfig;
import io.tributary.devstack.StackState;
import io.tributary.devstack.stack.Stack;
import io.tributary.cli.common.WorkDirs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The stack a command works against: the one running in the data dir (`tributary up`), or, when none
 * runs, a temporary one started for the command on the default ports and stopped after it. A
 * temporary stack's data (broker logs, database files, the bucket: gigabytes after a benchmark) goes
 * with it; its logs stay, for a look at what happened.
 */
public final class StackSession implements AutoCloseable {
    private final StackConfig config;
    private final Stack owned;
    private final long pid;
    private final PrintWriter out;

    private StackSession(StackConfig config, Stack owned, long pid, PrintWriter out) {
        this.config = config;
        this.owned = owned;
        this.pid = pid;
        this.out = out;
    }

    public static StackSession open(StackOptions options, PrintWriter out) throws Exception {
        Optional<StackState.Running> running = StackState.read(options.dataDir()).filter(StackState.Running::processAlive);
        if (running.isPresent() && running.get().ready()) {
            out.println("Using the stack running with data dir " + options.dataDir() + " (pid " + running.get().pid() + ").");
            return new StackSession(running.get().config(), null, running.get().pid(), out);
        }
        Path dir = Files.createTempDirectory("tributary-session");
        StackConfig config = options.toConfig().withDataDir(dir);
        out.println("No stack is running; starting a temporary one in " + dir + " ...");
        out.flush();
        Stack stack = new Stack(config, line -> {
            out.println("  " + line);
            out.flush();
        });
        stack.start();
        return new StackSession(config, stack, ProcessHandle.current().pid(), out);
    }

    public StackConfig config() {
        return config;
    }

    /** The process that started the stack's servers (each a child process of it): this one for a temporary stack. */
    public long pid() {
        return pid;
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
            removeDataKeepingLogs(config.dataDir(), config.logDir());
        }
    }

    private void removeDataKeepingLogs(Path dir, Path logs) {
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> data = entries.filter(p -> !p.equals(logs)).toList();
            for (Path p : data) {
                WorkDirs.deleteRecursively(p);
            }
            out.println("Removed the temporary stack's data; its logs stay in " + logs + ".");
        } catch (IOException e) {
            out.println("Could not remove the temporary stack's data in " + dir + " (" + e.getMessage() + "); delete it by hand.");
        }
        out.flush();
    }
}
