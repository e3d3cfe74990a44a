package io.tributary.streams.dlq;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rows the broker refused (too large for the topic, say), remembered by their exact bytes until they
 * are produced again. A refused send cannot be dead-lettered where it happens: under exactly-once
 * it dooms the open transaction, and its callback does not know which input record it came from.
 * So the production exception handler remembers the row and fails the stream thread; the app
 * replaces the thread, which resumes from the last commit; and when the replay serializes the same
 * row, the lake serializer finds it here and fails it as a serialization error, which the handler
 * dead-letters with the input record at hand. One instance per app instance, shared by its threads.
 */
public final class RefusedRows {
    /** Enough for every row of an aborted transaction; a row not seen again (it could not be) ages out. */
    private static final int MAX_REMEMBERED = 10_000;
    private final Map<ByteBuffer, String> reasons = new LinkedHashMap<>();
    private final Set<String> restartsPending = ConcurrentHashMap.newKeySet();
    private volatile boolean empty = true;

    /** Remembers a row of {@code topic} the broker refused, and that a thread of {@code applicationId} must restart. */
    public synchronized void refused(String applicationId, String topic, byte[] row, String reason) {
        reasons.put(fingerprint(topic, row), reason);
        if (reasons.size() > MAX_REMEMBERED) {
            reasons.remove(reasons.keySet().iterator().next());
        }
        empty = false;
        restartsPending.add(applicationId);
    }

    /** Why the broker refused this row of {@code topic} before, forgetting it; null if it did not. */
    public String take(String topic, byte[] row) {
        if (empty) {
            return null; // the common case, without hashing
        }
        synchronized (this) {
            String reason = reasons.remove(fingerprint(topic, row));
            empty = reasons.isEmpty();
            return reason;
        }
    }

    /** Whether a refusal asked a thread of this application to restart (once per refusal burst). */
    public boolean takeRestart(String applicationId) {
        return restartsPending.remove(applicationId);
    }

    private static ByteBuffer fingerprint(String topic, byte[] row) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(topic.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return ByteBuffer.wrap(sha.digest(row == null ? new byte[0] : row));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
