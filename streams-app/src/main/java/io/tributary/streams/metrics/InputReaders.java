package io.tributary.streams.metrics;

/**
 * The names of the processors that read and count each input record: the topology gives its
 * readers these names, and the failure handlers count a record as read when its reader failed on
 * it (the reader counts a record once it has gone its way, which that one never did).
 */
public final class InputReaders {
    /** The processor that reads (and counts) the events. */
    public static final String EVENTS = "events-map";

    private InputReaders() {
    }

    /** The processor that reads (and counts) the changes of a CDC table. */
    public static String cdc(String table) {
        return "cdc-" + table;
    }
}
