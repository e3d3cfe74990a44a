package io.tributary.lake.swap;

import java.io.IOException;

/**
 * Keeps a folder's lease alive during long work (building new objects, uploading them): a rewriter
 * calls it now and then, and it writes the partition record only when a quarter of the lease's TTL
 * has passed. It throws {@link LeaseLostException} when another process took the lease over.
 */
@FunctionalInterface
public interface Heartbeat {
    Heartbeat NONE = () -> { };

    void keepAlive() throws IOException;
}
