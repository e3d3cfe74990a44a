package io.tributary.dev.stack;

import io.tributary.devstack.StackConfig;
import io.tributary.devstack.StackState;
import io.tributary.devstack.stack.Stack;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The stack a command works against: the one running in the data dir (`tributary up`), or, when none
 * runs, a temporary one started for the command on the default ports and stopped after it.
 */
public final class StackSession implements AutoCloseable {
    private final StackConfig config;
    private final Stack owned;
    private final long pid;

    private StackSession(StackConfig config, Stack owned, long pid) {
        this.config = config;
        this.owned = owned;
        this.pid = pid;
    }

    public static StackSession open(StackOptions options, PrintWriter out) throws Exception {
        Optional<StackState.Running> running = StackState.read(options.dataDir()).filter(StackState.Running::processAlive);
        if (running.isPresent() && running.get().ready()) {
            out.println("Using the stack running with data dir " + options.dataDir() + " (pid " + running.get().pid() + ").");
            return new StackSession(running.get().config(), null, running.get().pid());
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
        return new StackSession(config, stack, ProcessHandle.current().pid());
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
        }
    }
}
