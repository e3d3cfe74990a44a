package io.tributary.devstack.stack;

import io.tributary.devstack.Component;
import io.tributary.devstack.Errors;
import io.tributary.devstack.Health;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.StackException;
import io.tributary.devstack.connect.ConnectWorker;
import io.tributary.devstack.kafka.KafkaBroker;
import io.tributary.devstack.mariadb.MariaDbServer;
import io.tributary.devstack.postgres.PostgresServer;
import io.tributary.devstack.process.DevStackBuild;
import io.tributary.devstack.registry.SchemaRegistry;
import io.tributary.devstack.s3.S3Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The local stack: starts its components in dependency order (independent ones in parallel), and
 * if one fails, stops everything already started and reports which component failed and why.
 */
public final class Stack implements AutoCloseable {
    private final StackConfig config;
    private final Map<String, Component> components = new LinkedHashMap<>();
    private final List<Component> started = new ArrayList<>();
    private final Consumer<String> progress;

    public Stack(StackConfig config, Consumer<String> progress) {
        this(config, DevStackBuild.load(), progress);
    }

    Stack(StackConfig config, DevStackBuild build, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
        for (Component c : List.of(new KafkaBroker(config, build), new S3Server(config, build),
                new MariaDbServer(config, build), new PostgresServer(config, build), new SchemaRegistry(config, build),
                new ConnectWorker(config, build))) {
            components.put(c.name(), c);
        }
    }

    /** Components as they would be for a stack of this config, for probing one started elsewhere. */
    public static Map<String, Component> describe(StackConfig config) {
        return new Stack(config, DevStackBuild.load(), s -> { }).components;
    }

    public StackConfig config() {
        return config;
    }

    public Component component(String name) {
        Component c = components.get(name);
        if (c == null) {
            throw new IllegalArgumentException("No component '" + name + "'; the stack has " + components.keySet());
        }
        return c;
    }

    /** Starts every component; on failure stops what started and throws a {@link StackException}. */
    public void start() {
        preflight();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(components.size(), r -> {
            Thread t = new Thread(r, "stack-start");
            t.setDaemon(true);
            return t;
        });
        Map<String, CompletableFuture<Void>> ready = new HashMap<>();
        try {
            for (Component c : components.values()) {
                CompletableFuture<?>[] deps = c.dependsOn().stream().map(ready::get).toArray(CompletableFuture[]::new);
                ready.put(c.name(), CompletableFuture.allOf(deps).thenRunAsync(() -> startOne(c), pool));
            }
            CompletableFuture.allOf(ready.values().toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
            for (CompletableFuture<Void> f : ready.values()) {
                f.join();
            }
        } catch (CompletionException e) {
            close();
            throw e.getCause() instanceof StackException se ? se
                    : new StackException("The stack failed to start: " + Errors.rootMessage(e), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        progress.accept(String.format("Stack ready in %.1f s", (System.nanoTime() - t0) / 1e9));
    }

    private void startOne(Component c) {
        long t0 = System.nanoTime();
        progress.accept("Starting " + c.name() + " ...");
        synchronized (started) {
            started.add(c);
        }
        try {
            c.start();
        } catch (StackException e) {
            throw new StackException("Component '" + c.name() + "' failed to start: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StackException("Component '" + c.name() + "' failed to start: " + Errors.rootMessage(e)
                    + " (log: " + c.logFile() + ")", e);
        }
        progress.accept(String.format("  %s ready in %.1f s (%s)", c.name(), (System.nanoTime() - t0) / 1e9,
                c.health().detail()));
    }

    private void preflight() {
        if (Files.exists(config.dataDir()) && !Files.isDirectory(config.dataDir())) {
            throw new StackException("The data dir " + config.dataDir() + " exists but is not a directory. "
                    + "Point --data-dir (TRIBUTARY_DATA_DIR) elsewhere or remove it.");
        }
        try {
            Files.createDirectories(config.logDir());
        } catch (IOException e) {
            throw new StackException("Cannot create the data dir " + config.dataDir() + ": " + e.getMessage()
                    + ". Point --data-dir (TRIBUTARY_DATA_DIR) to a writable directory.", e);
        }
        Map<Integer, String> claimed = new HashMap<>();
        for (Component c : components.values()) {
            c.ports().forEach((purpose, port) -> {
                String owner = c.name() + " " + purpose;
                String other = claimed.put(port, owner);
                if (other != null) {
                    throw new StackException("Port " + port + " is configured for both " + other + " and " + owner
                            + "; give each a different port.");
                }
                requireFree(port, owner);
            });
        }
        components.values().forEach(Component::preflight);
    }

    private static void requireFree(int port, String owner) {
        try (ServerSocket socket = new ServerSocket()) {
            // As the servers bind: TIME_WAIT leftovers of a stack that just stopped must not count as "in use".
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(StackConfig.HOST, port));
        } catch (IOException e) {
            throw new StackException("Port " + port + " on " + StackConfig.HOST + " (needed by " + owner
                    + ") is already in use. Stop whatever listens there (`ss -ltnp 'sport = :" + port + "'` shows it) "
                    + "or choose other ports: see `tributary up --help`.");
        }
    }

    /** Health of every component, by name, in start order. */
    public Map<String, Health> health() {
        Map<String, Health> out = new LinkedHashMap<>();
        components.values().forEach(c -> out.put(c.name(), c.health()));
        return out;
    }

    /** Stops one component gracefully and starts it again (fault tests: database or worker restart). */
    public void restart(String name) {
        Component c = component(name);
        c.stop();
        c.start();
    }

    /**
     * Stops every component (dependents first) and starts them again in dependency order, on the same
     * ports and data: what {@code tributary down} and {@code up} do.
     */
    public void restartAll() {
        List<Component> order = new ArrayList<>(components.values());
        for (int i = order.size() - 1; i >= 0; i--) {
            order.get(i).stop();
        }
        order.forEach(Component::start);
    }

    /** Kills one component's process (SIGKILL), as a crash would; {@link #restart} brings it back. */
    public void kill(String name) {
        component(name).kill();
    }

    /** Stops every started component, dependents first. */
    @Override
    public void close() {
        List<Component> toStop;
        synchronized (started) {
            toStop = new ArrayList<>(started);
            started.clear();
        }
        for (int i = toStop.size() - 1; i >= 0; i--) {
            Component c = toStop.get(i);
            progress.accept("Stopping " + c.name() + " ...");
            try {
                c.stop();
            } catch (RuntimeException e) {
                progress.accept("  could not stop " + c.name() + " cleanly: " + Errors.rootMessage(e));
            }
        }
    }
}
