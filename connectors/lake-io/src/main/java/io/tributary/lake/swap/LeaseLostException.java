package io.tributary.lake.swap;

import java.io.IOException;

/**
 * Another process changed a folder's partition record while this one held its lease (it judged the
 * lease stale: this process paused longer than the lease TTL). This process stops touching the
 * folder; the new holder finishes or undoes whatever replacement the journal records.
 */
public final class LeaseLostException extends IOException {
    public LeaseLostException(String message) {
        super(message);
    }
}
