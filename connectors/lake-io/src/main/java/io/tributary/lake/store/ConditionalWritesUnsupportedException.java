package io.tributary.lake.store;

import java.io.IOException;

/** The store refused a write because of its conditional headers (501 Not Implemented, 400): it has no conditional writes. */
public final class ConditionalWritesUnsupportedException extends IOException {
    public ConditionalWritesUnsupportedException(String message) {
        super(message);
    }
}
