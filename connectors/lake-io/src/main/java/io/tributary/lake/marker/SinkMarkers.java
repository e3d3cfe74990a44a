package io.tributary.lake.marker;

import io.tributary.lake.store.ObjectStore;
import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the S3 sink's partition markers to tell which of its files it may still write again. A task
 * that takes a partition over writes again, under the same key, every file its marker names that S3
 * does not hold (README, "Exactly once into S3"), so a file the marker names must not be removed; a
 * file it no longer names is final: later marker versions only add new files.
 */
public final class SinkMarkers {
    private static final Logger LOG = LoggerFactory.getLogger(SinkMarkers.class);

    private SinkMarkers() {
    }

    /**
     * The keys among {@code keys} that a marker under {@code markers} names (one GET per topic
     * partition the sink's file names mention). Keys that are not sink file names are never named.
     * An unreadable marker keeps all of its partition's keys: nothing is removed on a guess.
     */
    public static Set<String> named(ObjectStore store, LakePath markers, Collection<String> keys) throws IOException {
        Map<String, List<String>> byMarker = new LinkedHashMap<>();
        for (String key : keys) {
            LakePath.FileOffsets file = LakePath.parseFile(key);
            if (file != null) {
                byMarker.computeIfAbsent(markers.markerKey(file.topic(), file.partition()), m -> new java.util.ArrayList<>()).add(key);
            }
        }
        Set<String> named = new HashSet<>();
        for (Map.Entry<String, List<String>> marker : byMarker.entrySet()) {
            Optional<ObjectStore.Versioned> object = store.get(marker.getKey());
            if (object.isEmpty()) {
                continue; // no marker: the sink names a file in its marker before uploading it, so none is pending
            }
            try {
                PartitionMarker parsed = PartitionMarker.fromJson(object.get().content());
                Set<String> pending = new HashSet<>();
                parsed.files().stream().filter(f -> f.end() >= parsed.safeOffset()).forEach(f -> pending.add(f.key()));
                marker.getValue().stream().filter(pending::contains).forEach(named::add);
            } catch (IOException unreadable) {
                LOG.warn("{} is unreadable ({}); its partition's files are left as they are", marker.getKey(), unreadable.getMessage());
                named.addAll(marker.getValue());
            }
        }
        return named;
    }
}
