package io.tributary.cli.replay;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** The replay's parallel steps wait for their tasks here, so that a task's failure surfaces as it was thrown. */
final class Tasks {
    private Tasks() {
    }

    /** The task's result; its I/O or runtime exception rethrown unwrapped. */
    static <T> T get(Future<T> task) throws IOException {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
