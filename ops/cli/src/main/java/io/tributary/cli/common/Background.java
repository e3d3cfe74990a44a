package io.tributary.cli.common;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * A client built on a thread of its own from the moment a command starts, so that building it (mostly
 * class loading: the AWS SDK's S3 client takes up to a second of one core in a fresh JVM) overlaps the
 * command's other preparations. Closed with the command, also when the command fails before using it.
 */
public final class Background<T extends AutoCloseable> implements AutoCloseable {
    private final CompletableFuture<T> building = new CompletableFuture<>();

    private Background(String name, Supplier<T> build) {
        // SLF4J binds its provider once, on first use: a logger asked for from a second thread meanwhile is
        // a substitute whose early calls are dropped, and SLF4J prints a 7-line warning. Bind it here first.
        LoggerFactory.getILoggerFactory();
        Thread thread = new Thread(() -> {
            try {
                building.complete(build.get());
            } catch (RuntimeException | Error e) {
                building.completeExceptionally(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts building the client on a daemon thread named {@code name}. */
    public static <T extends AutoCloseable> Background<T> start(String name, Supplier<T> build) {
        return new Background<>(name, build);
    }

    /** The client, once built; a failure to build it rethrown as it was thrown. */
    public T get() {
        try {
            return building.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Closes the client once built; nothing to close when building it failed (get() reports that). */
    @Override
    public void close() throws Exception {
        T built;
        try {
            built = building.join();
        } catch (CompletionException notBuilt) {
            return;
        }
        built.close();
    }
}
