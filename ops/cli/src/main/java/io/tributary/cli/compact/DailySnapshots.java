package io.tributary.cli.compact;

import io.tributary.cli.common.WorkDirs;
import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.swap.PartitionRecord;
import io.tributary.lake.swap.PartitionSwap;
import io.tributary.lake.swap.SwapResult;
import io.tributary.schemas.contract.CurrentState;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.lake.PartitionFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a CDC table's {@code <table>_snapshot} up to date, one day folder at a time, each built from
 * the day before ({@link SnapshotBuilder}): every closed day of the horizon is built again on each
 * pass (deterministic, so an unchanged day publishes nothing, and a late change is carried into every
 * later day), and days before the horizon are built once, from the last built one on (or from the
 * table's first day). A day is closed when its last hour is.
 */
final class DailySnapshots {
    private static final Pattern DT = Pattern.compile("/dt=(\\d{4}-\\d{2}-\\d{2})/");

    private final ObjectStore store;
    private final LakePath paths;
    private final PartitionSwap swap;
    private final Path workDir;
    private final long targetBytes;

    DailySnapshots(ObjectStore store, LakePath paths, PartitionSwap swap, Path workDir, long targetBytes) {
        this.store = store;
        this.paths = paths;
        this.swap = swap;
        this.workDir = workDir;
        this.targetBytes = targetBytes;
    }

    /** Builds the snapshots of {@code table} up to {@code lastClosed}; returns how many days changed (-1 when busy). */
    int build(String table, LocalDate horizonStart, LocalDate lastClosed, Instant now) throws IOException {
        String snapshots = CurrentState.snapshotTable(table);
        Optional<LocalDate> first = Optional.empty();
        LocalDate from = horizonStart;
        for (LocalDate day = horizonStart.minusDays(1); !built(snapshots, day); day = day.minusDays(1)) {
            if (first.isEmpty()) {
                first = firstDay(table);
                if (first.isEmpty()) {
                    return 0;
                }
            }
            if (day.isBefore(first.get())) {
                from = first.get(); // nothing built yet: from the first day with changes
                break;
            }
            from = day;
        }
        int changed = 0;
        for (LocalDate day = from; !day.isAfter(lastClosed); day = day.plusDays(1)) {
            PartitionFolder folder = PartitionFolder.daily(snapshots, day.toString());
            List<ObjectInfo> previous = swap.snapshot(PartitionFolder.daily(snapshots, day.minusDays(1).toString())).finals();
            String dayPrefix = paths.tableRoot(table) + "dt=" + day + "/";
            List<ObjectInfo> changes = store.list(dayPrefix).stream().filter(o -> paths.isDataObject(o.key())).toList();
            Path work = Files.createDirectories(workDir.resolve("snapshot-" + table + "-" + day));
            try {
                SwapResult result = swap.run(folder, new SnapshotBuilder(store, table, previous, changes, work, targetBytes, now));
                if (result.outcome() == SwapResult.Outcome.BUSY) {
                    return changed; // later days build on this one: the next pass goes on
                }
                changed += result.outcome() == SwapResult.Outcome.SWAPPED ? 1 : 0;
            } finally {
                WorkDirs.deleteRecursively(work);
            }
        }
        return changed;
    }

    /**
     * Builds again the days from {@code first} on that were built before (a replay changed the
     * table's rows of {@code first}; every later day carries them); later days are the compactor's
     * to build when they close. Returns how many days changed.
     */
    int rebuildFrom(String table, LocalDate first, Instant now) throws IOException {
        String snapshots = CurrentState.snapshotTable(table);
        LocalDate last = null;
        for (LocalDate day = first; built(snapshots, day); day = day.plusDays(1)) {
            last = day;
        }
        return last == null ? 0 : build(table, first, last, now);
    }

    private boolean built(String snapshots, LocalDate day) throws IOException {
        return swap.record(PartitionFolder.daily(snapshots, day.toString())).map(PartitionRecord::state)
                .map(s -> s.closedAt() != null).orElse(false);
    }

    /** The first day the table's changelog has objects in; empty when it has none. */
    private Optional<LocalDate> firstDay(String table) throws IOException {
        return store.list(paths.tableRoot(table)).stream().filter(o -> paths.isDataObject(o.key())).map(o -> DT.matcher(o.key()))
                .filter(Matcher::find).map(m -> LocalDate.parse(m.group(1))).min(LocalDate::compareTo);
    }
}
