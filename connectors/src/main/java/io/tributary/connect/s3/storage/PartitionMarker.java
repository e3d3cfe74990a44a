package io.tributary.connect.s3.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.connect.s3.partitioner.LakePath.HourPartition;
import java.io.IOException;
import java.util.List;

/**
 * What one topic partition has put in S3 above its safe offset, kept in a small object per
 * partition ({@code _tributary/markers/<topic>/<partition>.json}).
 *
 * <p>{@code safeOffset}: every record below it is in an uploaded file. {@code files}: every file
 * uploaded, or about to be, whose offsets reach to or past it. A restarted task seeks to the safe
 * offset and skips each record that one of these files (if it exists in S3) already holds; the
 * argument is in the README ("Exactly once into S3").
 *
 * @param safeOffset the offset a restarted task resumes from
 * @param files      files holding records at or above the safe offset
 */
public record PartitionMarker(long safeOffset, List<FileEntry> files) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public PartitionMarker {
        files = List.copyOf(files);
    }

    /**
     * One file: the records of one table hour with offsets {@code start..end} of this partition. All
     * records of that hour in that range are in it, because a partition's records arrive in offset
     * order and an hour has at most one open file at a time.
     */
    public record FileEntry(String key, String dt, String hour, long start, long end) {
        public boolean holds(HourPartition recordHour, long offset) {
            return offset >= start && offset <= end && dt.equals(recordHour.dt()) && hour.equals(recordHour.hour());
        }
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize a partition marker", e);
        }
    }

    /** Parses a marker; throws naming the problem when the object is not one. */
    public static PartitionMarker fromJson(byte[] json) throws IOException {
        PartitionMarker marker = JSON.readValue(json, PartitionMarker.class);
        if (marker.safeOffset < 0 || marker.files == null) {
            throw new IOException("not a Tributary partition marker: " + new String(json, java.nio.charset.StandardCharsets.UTF_8));
        }
        return marker;
    }
}
