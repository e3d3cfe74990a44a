package io.tributary.lake.swap;

import io.tributary.lake.parquet.ContentNamedFile;
import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.lake.swap.PartitionRecord.FolderState;
import io.tributary.lake.swap.PartitionRecord.KnownObject;
import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a replacement does to one folder (compaction merges small files, a replay recomputes rows, a
 * snapshot build writes a day's state): given the folder's final objects, it builds the new objects
 * locally and says which final objects they replace. Its contract: every row of the replaced
 * objects that is meant to stay is in exactly one new object, and the new objects hold nothing else.
 */
public interface Rewriter {
    /** The kind of objects it writes ({@link ContentNamedFile#finish}'s prefix: c compaction, r replay, s snapshot) and the lease's purpose. */
    String kind();

    /**
     * Plans the replacement under the folder's lease; long work calls {@code heartbeat} now and then.
     *
     * @param state the folder's state before this replacement
     */
    Plan plan(FolderSnapshot snapshot, FolderState state, Heartbeat heartbeat) throws IOException;

    /**
     * A planned replacement.
     *
     * @param replaced    final objects of the snapshot to remove
     * @param added       new objects; one whose name the folder already holds is left as it is
     * @param counted     rows of other objects in the folder the rewriter counted (they become known)
     * @param rowsChanged whether rows change (raises the content version) or are only rearranged
     * @param finish      how the folder's state changes besides the objects (e.g. marked complete)
     */
    record Plan(List<ObjectInfo> replaced, List<ContentNamedFile.Written> added, List<KnownObject> counted, boolean rowsChanged,
                UnaryOperator<FolderState> finish) {
        public Plan {
            replaced = List.copyOf(replaced);
            added = List.copyOf(added);
            counted = List.copyOf(counted);
        }

        /** Nothing to replace; only the state changes (or not). */
        public static Plan none(List<KnownObject> counted, UnaryOperator<FolderState> finish) {
            return new Plan(List.of(), List.of(), counted, false, finish);
        }
    }
}
