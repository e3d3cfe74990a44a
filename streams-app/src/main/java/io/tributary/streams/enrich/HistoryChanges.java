package io.tributary.streams.enrich;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the writes to one master history store, so that the stream threads can tell whether the
 * answers they kept from it are still the store's answers: the global thread writes the store,
 * and only through {@link SynchronizedVersionedStoreBuilder}'s stores, which count.
 */
public final class HistoryChanges {
    private final AtomicLong writes = new AtomicLong();

    void written() {
        writes.incrementAndGet();
    }

    /** Changes whenever the store may answer differently. */
    long count() {
        return writes.get();
    }
}
