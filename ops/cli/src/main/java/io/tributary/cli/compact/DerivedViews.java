package io.tributary.cli.compact;

import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.swap.Finality;
import io.tributary.lake.swap.PartitionRecord;
import io.tributary.lake.swap.PartitionRecord.FolderState;
import io.tributary.lake.swap.PartitionSwap;
import io.tributary.schemas.contract.CurrentState;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.PartitionFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What is derived from a lake table's rows, refreshed after something replaced the rows of some of
 * its hours (a replay): each a deterministic function of whole hours, so refreshing one that did not
 * change writes nothing. The {@code lake_partitions} rows and {@code _SUCCESS} markers of those hours
 * (their row and file counts changed), a CDC table's {@code <table>_snapshot} days from the first
 * affected day on, and the dashboard buckets of the range. A new derived view belongs here.
 */
public final class DerivedViews {
    /** Recomputes the dashboard buckets over a table for {@code [from, to)}; returns what it did, one line each. */
    @FunctionalInterface
    public interface DashboardRefresh {
        List<String> refresh(String table, long from, long to) throws Exception;
    }

    private static final Duration LEASE_TTL = Duration.ofMinutes(2);

    private final PartitionSwap swap;
    private final Completeness completeness;
    private final DailySnapshots snapshots;
    private final DashboardRefresh dashboards;
    private final Clock clock;

    public DerivedViews(ObjectStore store, LakePath paths, Path workDir, DashboardRefresh dashboards, Clock clock) {
        this.swap = new PartitionSwap(store, paths, Finality.sinkMarkers(store, paths), LEASE_TTL);
        this.completeness = new Completeness(store, paths, workDir.resolve("rows"));
        // The compactor's default --target-mib: the same inputs then give the same snapshot objects.
        this.snapshots = new DailySnapshots(store, paths, swap, workDir, 128L << 20);
        this.dashboards = dashboards;
        this.clock = clock;
    }

    /**
     * Refreshes what is derived from {@code table}'s rows of {@code hours} (in order); returns one line
     * per view saying what changed. Hours not yet closed are left to the compactor, which records them when they close.
     */
    public List<String> onRowsReplaced(String table, List<HourPartition> hours) throws Exception {
        List<String> done = new ArrayList<>();
        if (hours.isEmpty()) {
            return done;
        }
        int recorded = 0;
        for (HourPartition hour : hours) {
            PartitionFolder folder = PartitionFolder.hourly(table, hour);
            FolderState state = swap.record(folder).map(PartitionRecord::state).orElse(FolderState.EMPTY);
            if (state.closedAt() != null) {
                completeness.record(folder, state);
                recorded++;
            }
        }
        done.add("lake_partitions: " + recorded + " closed hour(s) of " + table + " recorded again");
        if (CurrentState.key(table).isPresent()) {
            int days = snapshots.rebuildFrom(table, LocalDate.parse(hours.get(0).dt()), clock.instant());
            done.add(CurrentState.snapshotTable(table) + ": " + days + " day(s) from " + hours.get(0).dt() + " on changed");
        }
        HourPartition last = hours.get(hours.size() - 1);
        done.addAll(dashboards.refresh(table, hours.get(0).startMillis(), last.next().startMillis()));
        return done;
    }
}
