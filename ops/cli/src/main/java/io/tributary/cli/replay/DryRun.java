package io.tributary.cli.replay;

import io.tributary.cli.common.ByteSizes;
import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.lake.store.ObjectStore;
import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/** {@code replay --dry-run}: per hour, the lake objects and bytes a replay would replace, and what it would read. */
final class DryRun {
    private final ObjectStore store;
    private final LakePath lake;
    private final String table;
    private final PrintWriter out;

    DryRun(ObjectStore store, LakePath lake, String table, PrintWriter out) {
        this.store = store;
        this.lake = lake;
        this.table = table;
        this.out = out;
    }

    /** @param source where the replay would read the source records */
    void print(HourRange range, RawSource source) throws IOException {
        long objects = 0;
        long bytes = 0;
        out.printf("%-14s %8s %12s%n", "hour", "objects", "bytes");
        for (HourPartition hour : range.hours()) {
            List<ObjectInfo> data = store.list(lake.folder(table, hour)).stream()
                    .filter(o -> o.key().endsWith(LakePath.EXTENSION) && !o.name().startsWith("_")).toList();
            long hourBytes = data.stream().mapToLong(ObjectInfo::size).sum();
            out.printf("%-14s %8d %12s%n", hour, data.size(), ByteSizes.human(hourBytes));
            objects += data.size();
            bytes += hourBytes;
        }
        out.printf("would replace up to %,d objects (%s) of %s in %d hours%n", objects, ByteSizes.human(bytes), table,
                range.hours().size());
        out.println("would read: " + source.describe(range.hours()));
        out.println("dry run: nothing was changed");
        out.flush();
    }
}
