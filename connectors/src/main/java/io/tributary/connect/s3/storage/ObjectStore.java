package io.tributary.connect.s3.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The object operations the sink needs. {@link S3Storage} is the real one; unit tests of the writer
 * state machine use an in-memory one, integration tests the real S3 server. Every failure is an
 * IOException that says which request on which key failed.
 */
public interface ObjectStore extends AutoCloseable {
    /** Uploads a finished local file; returns once the object is complete and visible. */
    void upload(Path file, String key) throws IOException;

    /** Writes a small object in one request. */
    void put(String key, byte[] content) throws IOException;

    /** Reads a small object; empty when it does not exist. */
    Optional<byte[]> get(String key) throws IOException;

    boolean exists(String key) throws IOException;

    @Override
    void close();
}
