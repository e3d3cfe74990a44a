package io.tributary.lake.swap;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.schemas.lake.PartitionFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What Tributary knows about one partition folder, kept in one small object per folder
 * ({@code _tributary/partitions/<table>/dt=.../hour=....json}) and only ever written conditionally:
 * who may replace objects in it now ({@link Lease}, raised {@code generation} per holder), the
 * journal of a replacement under way ({@link Journal}), and the folder's state ({@link FolderState}).
 *
 * @param format     1
 * @param generation raised by every holder that takes the lease; names its staging area
 * @param lease      the current holder, or null when nobody holds it
 * @param swap       the journal of an unfinished replacement, or null
 * @param state      the folder's state as of the last finished replacement
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartitionRecord(int format, String table, String dt, String hour, long generation, Lease lease, Journal swap,
                              FolderState state) {
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The record of a folder nothing has been done to yet. */
    public static PartitionRecord empty(PartitionFolder folder) {
        return new PartitionRecord(FORMAT, folder.table(), folder.dt(), folder.hour(), 0, null, null, FolderState.EMPTY);
    }

    /**
     * Who replaces objects in the folder now.
     *
     * @param holder  a random id of the holding process
     * @param purpose what it does (compact, replay, snapshot)
     * @param beat    raised by each heartbeat, so a live holder's record keeps changing
     */
    public record Lease(String holder, String purpose, long beat) {
    }

    /** An object a replacement removes, as listed when it was planned. */
    public record OldObject(String key, String etag, long size) {
    }

    /** An object a replacement publishes: its key in the folder, size, rows and content hash. */
    public record NewObject(String key, long size, long rows, String sha256) {
    }

    /**
     * A replacement under way: which objects go, which come (and where they are staged), and the
     * state the folder has once it is done. Written before the first object is published, so whoever
     * holds the lease next can finish it (every new object present or staged) or undo it.
     */
    public record Journal(String id, String kind, List<OldObject> old, List<NewObject> added, String staging, FolderState after) {
        public Journal {
            old = List.copyOf(old);
            added = List.copyOf(added);
        }
    }

    /** An object whose rows Tributary counted: by name within the folder. */
    public record KnownObject(String name, long size, long rows) {
    }

    /**
     * The folder's state. {@code known}: the objects whose rows are counted (a final object not in
     * it arrived later, e.g. a late row's file). {@code contentVersion}: raised when a replacement
     * changes rows (not when it only merges them), so derived tables know what to rebuild.
     * {@code closedAt}/{@code compactedAt}: when the folder was first declared complete / last
     * compacted (ISO-8601); {@code reopened}: rows arrived after it was complete and are not yet
     * compacted; {@code lastSwap}: the id of the last finished replacement.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FolderState(long contentVersion, List<KnownObject> known, String closedAt, String compactedAt,
                              boolean reopened, String lastSwap) {
        public static final FolderState EMPTY = new FolderState(0, List.of(), null, null, false, null);

        public FolderState {
            known = known == null ? List.of() : List.copyOf(known);
        }

        @JsonIgnore
        public long rows() {
            return known.stream().mapToLong(KnownObject::rows).sum();
        }

        @JsonIgnore
        public long bytes() {
            return known.stream().mapToLong(KnownObject::size).sum();
        }

        @JsonIgnore
        public int files() {
            return known.size();
        }

        public FolderState withKnown(List<KnownObject> objects) {
            return new FolderState(contentVersion, objects, closedAt, compactedAt, reopened, lastSwap);
        }

        public FolderState withContentVersion(long version) {
            return new FolderState(version, known, closedAt, compactedAt, reopened, lastSwap);
        }

        public FolderState closed(String closed, String compacted) {
            return new FolderState(contentVersion, known, closedAt != null ? closedAt : closed, compacted, false, lastSwap);
        }

        public FolderState reopen() {
            return new FolderState(contentVersion, known, closedAt, compactedAt, true, lastSwap);
        }

        public FolderState withLastSwap(String id) {
            return new FolderState(contentVersion, known, closedAt, compactedAt, reopened, id);
        }
    }

    public PartitionRecord withLease(Lease newLease) {
        return new PartitionRecord(format, table, dt, hour, generation, newLease, swap, state);
    }

    public PartitionRecord withGeneration(long newGeneration) {
        return new PartitionRecord(format, table, dt, hour, newGeneration, lease, swap, state);
    }

    public PartitionRecord withSwap(Journal journal) {
        return new PartitionRecord(format, table, dt, hour, generation, lease, journal, state);
    }

    public PartitionRecord withState(FolderState newState) {
        return new PartitionRecord(format, table, dt, hour, generation, lease, swap, newState);
    }

    public byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize a partition record", e);
        }
    }

    public static PartitionRecord fromJson(byte[] json, String key) throws IOException {
        PartitionRecord record;
        try {
            record = JSON.readValue(json, PartitionRecord.class);
        } catch (IOException e) {
            throw new IOException(key + " is not a Tributary partition record (" + e.getMessage().lines().findFirst().orElse("")
                    + "); delete it only if no replacement is under way in its folder");
        }
        if (record.format > FORMAT) {
            throw new IOException(key + " was written by a newer Tributary (partition record format " + record.format
                    + "); upgrade this one");
        }
        return record.state == null ? record.withState(FolderState.EMPTY) : record;
    }

    @Override
    public String toString() {
        return new String(toJson(), StandardCharsets.UTF_8);
    }
}
