package io.tributary.dev.stack;

import io.tributary.devstack.Component;
import io.tributary.devstack.Health;
import io.tributary.devstack.StackState;
import io.tributary.devstack.stack.Stack;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `tributary status`: probes every component of the stack running in the data dir. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the health of each component of the local stack. Exit code 0 when all are healthy, "
                + "1 when one is not, 3 when no stack is running.")
public final class StatusCommand implements Callable<Integer> {
    static final int NOT_RUNNING = 3;

    @Mixin
    StackOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<StackState.Running> running = StackState.read(options.dataDir());
        if (running.isEmpty() || !running.get().processAlive()) {
            out.println("No stack is running with data dir " + options.dataDir()
                    + (running.isPresent() ? " (stale state of pid " + running.get().pid() + "; `tributary down` cleans it up)" : "")
                    + ". Start one with `./tributary up`.");
            return NOT_RUNNING;
        }
        StackState.Running stack = running.get();
        out.println("Stack pid " + stack.pid() + ", started " + stack.startedAt()
                + (stack.ready() ? "" : " (still starting)") + ", data dir " + options.dataDir());
        boolean allHealthy = true;
        for (Component component : Stack.describe(stack.config()).values()) {
            Health health = component.health();
            allHealthy &= health.healthy();
            out.printf("  %-9s %-9s %s%n", component.name(), health.healthy() ? "healthy" : "UNHEALTHY", health.detail());
        }
        return allHealthy ? 0 : 1;
    }
}
