package io.tributary.lake.store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The object operations the sink and the lake's maintenance (replacing a partition's objects) need.
 * {@link S3Storage} is the real one; unit tests use an in-memory one, integration tests the real S3 server. Every failure is an
 * IOException that says which request on which key failed; a write whose {@link WriteCondition}
 * does not hold throws {@link PreconditionFailedException} and changes nothing.
 */
public interface ObjectStore extends AutoCloseable {
    /** A small object's content and the ETag of that version. */
    record Versioned(byte[] content, String etag) {
    }

    /**
     * Uploads a finished local file with user metadata; returns once the object is complete and
     * visible. {@code condition} is {@link WriteCondition#NONE} or {@link WriteCondition#ABSENT}.
     */
    void upload(Path file, String key, Map<String, String> metadata, WriteCondition condition) throws IOException;

    /** Uploads a file unconditionally, without metadata (tools outside the sink, such as the benchmark). */
    default void upload(Path file, String key) throws IOException {
        upload(file, key, Map.of(), WriteCondition.NONE);
    }

    /** Writes a small object in one request; returns the ETag of the version written. */
    String put(String key, byte[] content, WriteCondition condition) throws IOException;

    /** Reads a small object and its ETag; empty when it does not exist. */
    Optional<Versioned> get(String key) throws IOException;

    /** The user metadata of an object (HEAD); empty when the object does not exist. */
    Optional<Map<String, String>> metadata(String key) throws IOException;

    /** One object of a listing: key, ETag, size and S3's LastModified (the start of its upload). */
    record ObjectInfo(String key, String etag, long size, Instant lastModified) {
        /** The last path segment of the key. */
        public String name() {
            return key.substring(key.lastIndexOf('/') + 1);
        }
    }

    /** Every object whose key starts with {@code prefix}, in key order (all pages). */
    List<ObjectInfo> list(String prefix) throws IOException;

    /** Copies an object inside the store (server-side), user metadata included. */
    void copy(String sourceKey, String targetKey) throws IOException;

    /** Deletes objects; keys that hold no object are fine (deleting is idempotent). */
    void delete(List<String> keys) throws IOException;

    /** Writes an object's content to a local file; throws when the object does not exist. */
    void download(String key, Path file) throws IOException;

    @Override
    void close();
}
