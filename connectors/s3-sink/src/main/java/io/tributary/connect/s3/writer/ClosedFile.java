package io.tributary.connect.s3.writer;

import io.tributary.connect.s3.rotation.RotationReason;
import io.tributary.lake.marker.PartitionMarker.FileEntry;
import io.tributary.schemas.lake.LakePath.HourPartition;
import java.nio.file.Path;

/** A finished local Parquet file waiting to be uploaded to {@code key}. */
record ClosedFile(String key, HourPartition hour, Path local, long startOffset, long endOffset, long records,
                  long bytes, RotationReason reason) {
    FileEntry entry() {
        return new FileEntry(key, hour.dt(), hour.hour(), startOffset, endOffset);
    }

    ClosedFile withKey(String newKey) {
        return new ClosedFile(newKey, hour, local, startOffset, endOffset, records, bytes, reason);
    }
}
