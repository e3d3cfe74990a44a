package io.tributary.lake.swap;

import io.tributary.lake.marker.SinkMarkers;
import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.lake.store.ObjectStore;
import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Which listed objects a live writer may still write again, so that a replacement leaves them alone.
 * Asked after every listing, never before: a writer names a file (in its marker) before uploading it,
 * so a marker read after the listing names every listed file that is not final yet.
 */
@FunctionalInterface
public interface Finality {
    /** Nothing writes into the folders (tests, tables no sink writes). */
    Finality ALL_FINAL = listed -> Set.of();

    /** The keys among {@code listed} that are not final. */
    Set<String> pending(List<ObjectInfo> listed) throws IOException;

    /** The S3 sink's rule: a file its partition's marker names (at or above the safe offset) is not final. */
    static Finality sinkMarkers(ObjectStore store, LakePath markers) {
        return listed -> SinkMarkers.named(store, markers, listed.stream().map(ObjectInfo::key).toList());
    }
}
