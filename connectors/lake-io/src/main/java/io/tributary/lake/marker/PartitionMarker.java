package io.tributary.lake.marker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.schemas.lake.LakePath.HourPartition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * What one topic partition has put in S3 above its safe offset, and who may write it next, kept in
 * a small object per partition ({@code _tributary/markers/<topic>/<partition>.json}).
 *
 * <p>{@code safeOffset}: every record below it is in an uploaded file (-1: no position yet, the
 * committed offset stands). {@code files}: every file uploaded, or about to be, whose offsets reach
 * to or past it. {@code connector} and {@code topicId}: the {@link Owner}; a marker of another owner
 * is ignored. {@code generation}: raised by each task that takes the partition over, so that an
 * older task (a zombie) finds it and stops; {@code writer}: a random id of the one writer that
 * claimed this generation. The argument is in the README ("Exactly once into S3").
 *
 * <p>Markers written before fencing existed (format 1) have only {@code safeOffset} and
 * {@code files}; they read as {@linkplain #legacy() legacy} markers of generation 0.
 *
 * @param format     2; null in a legacy marker
 * @param connector  the owner's connector; null in a legacy marker
 * @param topicId    the owner's topic id; null in a legacy marker
 * @param generation the writer generation that wrote this version
 * @param writer     the id of the writer that claimed the generation; null in a legacy marker
 * @param safeOffset the offset a restarted task resumes from, or -1
 * @param files      files holding records at or above the safe offset
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartitionMarker(Integer format, String connector, String topicId, long generation, String writer,
                              long safeOffset, List<FileEntry> files) {
    public static final int FORMAT = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    public PartitionMarker {
        files = files == null ? null : List.copyOf(files);
    }

    /** A marker of the current format. */
    public static PartitionMarker of(Owner owner, long generation, String writer, long safeOffset, List<FileEntry> files) {
        return new PartitionMarker(FORMAT, owner.connector(), owner.topicId(), generation, writer, safeOffset, files);
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

    /** A marker written before fencing existed: no owner, generation 0. */
    public boolean legacy() {
        return connector == null;
    }

    /** The owner, or empty for a legacy marker. */
    public Optional<Owner> owner() {
        return legacy() ? Optional.empty() : Optional.of(new Owner(connector, topicId));
    }

    /** Whether this version was written by the writer {@code writer} of {@code owner}. */
    public boolean writtenBy(Owner owner, String writer) {
        return owner().filter(owner::equals).isPresent() && writer.equals(this.writer);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize a partition marker", e);
        }
    }

    /** Parses a marker of either format; throws naming the problem when the object is not one. */
    public static PartitionMarker fromJson(byte[] json) throws IOException {
        PartitionMarker marker = JSON.readValue(json, PartitionMarker.class);
        if (marker.format != null && marker.format > FORMAT) {
            throw new IOException("written by a newer version of the sink (marker format " + marker.format
                    + "); upgrade this worker's plugin");
        }
        boolean complete = marker.legacy() ? marker.format == null && marker.safeOffset >= 0
                : marker.format != null && marker.topicId != null && marker.writer != null && marker.safeOffset >= -1;
        if (!complete || marker.files == null) {
            throw new IOException("not a Tributary partition marker: " + new String(json, StandardCharsets.UTF_8));
        }
        return marker;
    }
}
