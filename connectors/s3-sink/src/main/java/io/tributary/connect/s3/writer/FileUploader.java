package io.tributary.connect.s3.writer;

import io.tributary.lake.marker.Owner;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.store.PreconditionFailedException;
import io.tributary.lake.store.WriteCondition;
import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads finished files without ever replacing an object. Every object carries its owner in its
 * metadata. An object already at the key (the PUT answers 412 to {@code If-None-Match: *}, or,
 * without conditional writes, a HEAD before the PUT finds it) is, if the owner's, the same
 * records: another writer of this owner (a zombie, or this writer's own retried request) put them
 * there first. If another owner's (an earlier incarnation of the topic), the file is renamed with
 * this owner's suffix, so its records are neither skipped nor written over someone else's.
 */
final class FileUploader {
    private static final Logger LOG = LoggerFactory.getLogger(FileUploader.class);

    enum Result {
        /** The object is this file. */
        UPLOADED,
        /** The key held this owner's object with the same records; nothing was written. */
        ALREADY_THERE,
        /** The key holds another owner's object: name the file {@link #renamed} in the marker and upload again. */
        KEY_TAKEN
    }

    private final ObjectStore store;
    private final Owner owner;
    private final boolean conditional;
    private final Map<String, String> metadata;
    /**
     * Objects without an owner were written before fencing existed; they count as this owner's when
     * the partition's marker was a legacy one, which the writer took as this owner's too.
     */
    private boolean unownedAreOwn;

    FileUploader(ObjectStore store, Owner owner, boolean conditional) {
        this.store = store;
        this.owner = owner;
        this.conditional = conditional;
        this.metadata = Map.of(Owner.METADATA_KEY, owner.metadataValue());
    }

    void treatUnownedAsOwn(boolean legacyMarker) {
        this.unownedAreOwn = legacyMarker;
    }

    Result upload(ClosedFile file) throws IOException {
        if (!conditional) {
            Optional<Map<String, String>> existing = store.metadata(file.key());
            if (existing.isPresent()) {
                return settle(file.key(), existing.get());
            }
        }
        try {
            store.upload(file.local(), file.key(), metadata, conditional ? WriteCondition.ABSENT : WriteCondition.NONE);
            return Result.UPLOADED;
        } catch (PreconditionFailedException exists) {
            Optional<Map<String, String>> existing = store.metadata(file.key());
            if (existing.isEmpty()) {
                throw new IOException(file.key() + " existed at the PUT and was gone at the HEAD after it; retried");
            }
            return settle(file.key(), existing.get());
        }
    }

    /** Whether S3 holds this owner's object at {@code key} (a HEAD). */
    boolean holdsOwn(String key) throws IOException {
        return store.metadata(key).filter(this::isOwn).isPresent();
    }

    /** The key a file gets when its plain key holds another owner's object. */
    String renamed(String key) {
        return LakePath.withOwnerSuffix(key, owner.keySuffix());
    }

    private Result settle(String key, Map<String, String> existing) throws IOException {
        if (isOwn(existing)) {
            LOG.info("{} is already in S3, put there by another writer of {}; it is not uploaded again", key, owner);
            return Result.ALREADY_THERE;
        }
        if (key.endsWith("." + owner.keySuffix() + LakePath.EXTENSION)) {
            throw new IOException(key + " holds an object of " + existing.getOrDefault(Owner.METADATA_KEY, "no owner")
                    + " although its name carries the suffix of " + owner + "; move that object away");
        }
        LOG.warn("{} holds an object of {}, not of {}: this file is uploaded as {} instead", key,
                existing.getOrDefault(Owner.METADATA_KEY, "an owner from before fencing"), owner, renamed(key));
        return Result.KEY_TAKEN;
    }

    private boolean isOwn(Map<String, String> metadata) {
        return owner.owns(metadata) || (unownedAreOwn && !metadata.containsKey(Owner.METADATA_KEY));
    }
}
