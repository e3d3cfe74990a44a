package io.tributary.lake.store;

import java.io.IOException;

/**
 * A conditional write did not happen because its precondition does not hold (S3 answers 412, or 404
 * for {@code If-Match} on a key that has no object): the object exists although the write wanted
 * to create it, or it changed since the writer read its ETag.
 */
public final class PreconditionFailedException extends IOException {
    public PreconditionFailedException(String message) {
        super(message);
    }
}
