package io.tributary.connect.s3.writer;

import io.tributary.connect.s3.rotation.RotationReason;
import io.tributary.lake.marker.PartitionMarker.FileEntry;
import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * The files the previous writer of a partition named in its marker but S3 did not hold when this
 * writer took the partition over. Their PUTs may still be in flight (a zombie's upload that
 * completes after this writer's HEAD), so their records are written again into files with exactly
 * the same key, hour and offset range: whichever of the two PUTs lands second finds the key taken
 * by the same records ({@code If-None-Match}), or, without conditional writes, replaces an object
 * holding the same records. No rotation rule applies to these files: they must end where the
 * originals ended. They stay named in every marker until uploaded.
 */
final class InFlightFiles {
    private final List<FileEntry> waiting = new ArrayList<>();
    private final Map<FileEntry, OpenFile> open = new HashMap<>();

    void add(FileEntry entry) {
        waiting.add(entry);
    }

    /** The files not yet uploaded again, for the marker. */
    List<FileEntry> entries() {
        return List.copyOf(waiting);
    }

    /** The start of the earliest file being written again, or {@code Long.MAX_VALUE}. */
    long lowestOpenStart() {
        return open.keySet().stream().mapToLong(FileEntry::start).min().orElse(Long.MAX_VALUE);
    }

    /** The in-flight file that holds a record of {@code hour} at {@code offset}, or null. */
    FileEntry holding(HourPartition hour, long offset) {
        for (FileEntry entry : waiting) {
            if (entry.holds(hour, offset)) {
                return entry;
            }
        }
        return null;
    }

    /** Appends a record to the file written again for {@code entry}; returns that file once its last offset is in. */
    ClosedFile append(FileEntry entry, long offset, long recordTime, GenericRecord record, int inputBytes,
                      OpenFileFactory files, String table, long writeSequence, long nowMillis) throws IOException {
        OpenFile file = open.get(entry);
        if (file == null) {
            file = files.open(table, LakePath.hourOf(recordTime), record.getSchema(), offset, recordTime, nowMillis);
            open.put(entry, file);
        }
        file.append(record, inputBytes, offset, writeSequence);
        return offset >= entry.end() ? finish(entry) : null;
    }

    /**
     * The files whose range ends before {@code offset} although their last record never came (it is
     * now reported as errant): finished with what they hold. Entries no record reached are dropped.
     */
    List<ClosedFile> passed(long offset) throws IOException {
        List<ClosedFile> finished = new ArrayList<>();
        for (FileEntry entry : List.copyOf(waiting)) {
            if (entry.end() < offset) {
                if (open.containsKey(entry)) {
                    finished.add(finish(entry));
                } else {
                    waiting.remove(entry);
                }
            }
        }
        return finished;
    }

    /** Drops the files being written again (partition revoked or fenced). */
    int discard() {
        int dropped = open.size();
        open.values().forEach(OpenFile::discard);
        open.clear();
        waiting.clear();
        return dropped;
    }

    private ClosedFile finish(FileEntry entry) throws IOException {
        waiting.remove(entry);
        ClosedFile closed = open.remove(entry).finish(entry.key(), RotationReason.TAKEOVER);
        // Named by the original's range, which a missing last record would otherwise narrow.
        return new ClosedFile(entry.key(), closed.hour(), closed.local(), entry.start(), entry.end(), closed.records(),
                closed.bytes(), closed.reason());
    }
}
