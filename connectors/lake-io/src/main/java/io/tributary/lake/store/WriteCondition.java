package io.tributary.lake.store;

/**
 * The precondition of a write, as S3 conditional writes express it: none, {@code If-None-Match: *}
 * (create only; never overwrite) or {@code If-Match: <etag>} (compare-and-swap on the version the
 * writer last saw).
 *
 * @param ifAbsent write only when no object has the key
 * @param ifMatch  write only when the object's ETag is this one; null for no such condition
 */
public record WriteCondition(boolean ifAbsent, String ifMatch) {
    public static final WriteCondition NONE = new WriteCondition(false, null);
    public static final WriteCondition ABSENT = new WriteCondition(true, null);

    public WriteCondition {
        if (ifAbsent && ifMatch != null) {
            throw new IllegalArgumentException("a write is conditional on absence or on an ETag, not both");
        }
    }

    public static WriteCondition matching(String etag) {
        return new WriteCondition(false, etag);
    }

    public boolean isNone() {
        return !ifAbsent && ifMatch == null;
    }

    @Override
    public String toString() {
        return ifAbsent ? "If-None-Match: *" : ifMatch != null ? "If-Match: " + ifMatch : "none";
    }
}
