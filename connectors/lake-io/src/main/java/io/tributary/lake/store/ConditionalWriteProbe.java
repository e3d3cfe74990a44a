package io.tributary.lake.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Finds out whether a store honours S3 conditional writes ({@code s3.conditional.writes=auto}):
 * some S3-compatible servers ignore the headers and overwrite, some refuse them. It writes only its
 * own small key, and only conditionally, so tasks probing at the same time cannot disturb each
 * other: after a create-only PUT the key exists, so a second create-only PUT must fail, and so
 * must a PUT conditional on an ETag the object cannot have.
 */
public final class ConditionalWriteProbe {
    private static final byte[] CONTENT = "{\"purpose\":\"Tributary probes S3 conditional writes here\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final String IMPOSSIBLE_ETAG = "\"tributary-probe-matches-no-object\"";

    private ConditionalWriteProbe() {
    }

    /** Whether {@code If-None-Match: *} and {@code If-Match} both hold on {@code key}. */
    public static boolean honoured(ObjectStore store, String key) throws IOException {
        try {
            written(store, key, WriteCondition.ABSENT); // created now, or by an earlier probe
            return !written(store, key, WriteCondition.ABSENT) && !written(store, key, WriteCondition.matching(IMPOSSIBLE_ETAG));
        } catch (ConditionalWritesUnsupportedException refused) {
            return false;
        }
    }

    /** True when the write happened, false when its precondition stopped it. */
    private static boolean written(ObjectStore store, String key, WriteCondition condition) throws IOException {
        try {
            store.put(key, CONTENT, condition);
            return true;
        } catch (PreconditionFailedException expected) {
            return false;
        }
    }
}
