package io.tributary.lake.swap;

import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.schemas.lake.PartitionFolder;
import java.util.List;

/**
 * A folder's data objects as one listing saw them, split by finality: {@code finals} no live writer
 * will write again (a replacement may remove them), {@code pending} a sink may still write again
 * after a takeover (its marker names them above its safe offset), so they are left alone.
 *
 * @param folderKey the folder's key prefix
 */
public record FolderSnapshot(PartitionFolder folder, String folderKey, List<ObjectInfo> finals, List<ObjectInfo> pending) {
    public FolderSnapshot {
        finals = List.copyOf(finals);
        pending = List.copyOf(pending);
    }

    /** Whether the folder holds an object of this name (final or not). */
    public boolean holds(String name) {
        return finals.stream().anyMatch(o -> o.name().equals(name)) || pending.stream().anyMatch(o -> o.name().equals(name));
    }
}
