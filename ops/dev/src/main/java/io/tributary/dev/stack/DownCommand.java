package io.tributary.dev.stack;

import io.tributary.devstack.StackState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `tributary down`: stops the stack running in the data dir (SIGTERM to its orchestrator). */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop the local stack started with `tributary up` (foreground or --detach).")
public final class DownCommand implements Callable<Integer> {
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    @Mixin
    StackOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<StackState.Running> running = StackState.read(options.dataDir());
        if (running.isEmpty()) {
            out.println("No stack is running with data dir " + options.dataDir() + "; nothing to stop.");
            return 0;
        }
        long pid = running.get().pid();
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            StackState.delete(options.dataDir());
            out.println("The stack process " + pid + " is no longer running (it was killed?). Removed its stale state; "
                    + "its servers stop by themselves when their parent is gone.");
            return 0;
        }
        out.println("Stopping the stack (pid " + pid + ") ...");
        out.flush();
        handle.get().destroy();
        if (!StackState.awaitExit(pid, STOP_TIMEOUT)) {
            out.println("The stack did not stop within " + STOP_TIMEOUT.toSeconds() + " s; killing it.");
            handle.get().destroyForcibly();
            StackState.awaitExit(pid, Duration.ofSeconds(10));
            StackState.delete(options.dataDir());
        }
        out.println("Stopped.");
        return 0;
    }
}
