package io.tributary.dev.stack;

import io.tributary.devstack.StackConfig;
import io.tributary.devstack.StackException;
import io.tributary.devstack.StackState;
import io.tributary.devstack.stack.Stack;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `tributary up`: starts the local stack and keeps it running until Ctrl-C, SIGTERM or `tributary down`. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the local stack (Kafka, schema registry, S3, MariaDB, Kafka Connect) and print its endpoints.")
public final class UpCommand implements Callable<Integer> {
    @Mixin
    StackOptions options;

    @Option(names = "--detach", description = "Start in the background and return once every component is healthy.")
    boolean detach;

    @Option(names = "--reset", description = "Delete all local data (topics, objects, databases) before starting.")
    boolean reset;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return detach ? new DetachedStart(options, reset, spec).call() : runInForeground();
    }

    private int runInForeground() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        StackConfig config = options.toConfig();
        AutoCloseable lock = StackState.lock(config.dataDir());
        if (reset) {
            deleteContentsExceptLock(config.dataDir());
        }
        Stack stack = new Stack(config, line -> {
            out.println(line);
            out.flush();
        });
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean ready = new AtomicBoolean();
        // Ctrl-C, SIGTERM (`tributary down`) and a failed start all end here; children stop dependents first.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (ready.get()) {
                out.println("Stopping the stack ...");
                out.flush();
            }
            stack.close();
            StackState.delete(config.dataDir());
            if (ready.get()) {
                out.println("Stopped.");
                out.flush();
            }
            stopped.countDown();
        }, "tributary-stop"));
        Instant startedAt = Instant.now();
        StackState.write(config, startedAt, false);
        try {
            stack.start();
        } catch (StackException e) {
            StackState.delete(config.dataDir());
            lock.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(lock)));
        StackState.write(config, startedAt, true);
        ready.set(true);
        out.println();
        out.println("Tributary local stack is up (data dir " + config.dataDir() + ", logs in " + config.logDir() + "):");
        config.endpoints().forEach((name, value) -> out.printf("  %-26s %s%n", name, value));
        out.println();
        out.println("Press Ctrl-C to stop (or run `./tributary down` in another shell).");
        out.flush();
        stopped.await();
        return 0;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // The JVM is exiting; the OS releases the lock anyway.
        }
    }

    private static void deleteContentsExceptLock(Path dataDir) throws IOException {
        try (Stream<Path> entries = Files.list(dataDir)) {
            for (Path entry : entries.filter(p -> !p.getFileName().toString().equals("stack.lock")).toList()) {
                try (Stream<Path> tree = Files.walk(entry)) {
                    for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }
}
