package io.tributary.streams.enrich;

import java.util.function.Consumer;

/**
 * The writes to one master history store, so that the stream threads can tell which of the answers
 * they kept from it are no longer the store's answers: the global thread writes the store, and only
 * through {@link SynchronizedVersionedStoreBuilder}'s stores, which record here. The last
 * {@value #KEPT} written keys are kept, so that a reader forgets only the masters that changed; a
 * reader further behind, or a (re)opened store, forgets everything.
 */
public final class HistoryChanges {
    static final int KEPT = 4096;
    private final String[] keys = new String[KEPT];
    private volatile long writes;

    /** Records a write of {@code key}'s history; {@code null} when any key may answer differently. */
    synchronized void written(String key) {
        keys[(int) (writes % KEPT)] = key;
        writes = writes + 1;
    }

    /** The number of writes so far: a reader compares it with the count it last caught up to. */
    long count() {
        return writes;
    }

    /**
     * Tells {@code changed} every key written after the first {@code seen} writes, or {@code null}
     * once when the keys written since are not all known; returns the count it caught up to.
     */
    synchronized long changedSince(long seen, Consumer<String> changed) {
        if (writes - seen > KEPT) {
            changed.accept(null);
            return writes;
        }
        for (long write = seen; write < writes; write++) {
            String key = keys[(int) (write % KEPT)];
            changed.accept(key);
            if (key == null) {
                break;
            }
        }
        return writes;
    }
}
