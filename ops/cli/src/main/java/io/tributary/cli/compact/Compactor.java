package io.tributary.cli.compact;

import io.tributary.cli.common.WorkDirs;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.swap.Finality;
import io.tributary.lake.swap.FolderSnapshot;
import io.tributary.lake.swap.PartitionRecord.FolderState;
import io.tributary.lake.swap.PartitionRecord;
import io.tributary.lake.swap.PartitionSwap;
import io.tributary.lake.swap.SwapResult;
import io.tributary.schemas.contract.CurrentState;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.lake.PartitionFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;

/**
 * One compaction pass over the lake: first finishes replacements a crash interrupted, then, for each
 * table and each hour of the horizon that is closed (its end lies more than the lateness allowance
 * behind the table's event-time watermark, {@link EventTimeWatermark}, or more than the idle
 * allowance in the past by the clock), merges its small objects through {@link PartitionSwap} and records the hour complete
 * ({@link Completeness}). An hour that nothing reached since it was completed costs one listing and one
 * GET of its partition record and a HEAD of its marker (a compactor killed between its swap and the
 * marker leaves the hour to the next pass that way). Late rows written into a complete hour reopen it; the next pass folds
 * them in. Then, for CDC tables, it brings {@code <table>_snapshot} up to the last closed day
 * ({@link DailySnapshots}): the same schedule, the same notion of closed, one process to run.
 */
public final class Compactor {
    /** What a pass did: hours looked at, compacted, left busy (another compactor holds them), and objects before/after. */
    public record Pass(int closedHours, int compacted, int busy, int objectsBefore, int objectsAfter, long bytesWritten,
                       int recovered, int snapshotDays) {
    }

    /**
     * @param targetBytes      the size merged objects grow to before a new one starts
     * @param lateness         how far behind its table's event-time watermark an hour's end must be to close it
     * @param idleClose        how long after its end (by the clock) an hour closes even if the watermark stands still
     * @param closeCurrentHour also close every hour up to the current one, for a load that is known to have ended
     *                         (the demo's): a row that comes later reopens its hour and the next pass folds it in;
     *                         daily snapshots still wait for the day's end
     */
    public record Settings(long targetBytes, Duration lateness, Duration horizon, Duration leaseTtl, Duration idleClose,
                           boolean closeCurrentHour) {
        public Settings(long targetBytes, Duration lateness, Duration horizon, Duration leaseTtl, Duration idleClose) {
            this(targetBytes, lateness, horizon, leaseTtl, idleClose, false);
        }
    }

    private final ObjectStore store;
    private final LakePath paths;
    private final Path workDir;
    private final Settings settings;
    private final Clock clock;
    private final PartitionSwap swap;
    private final Completeness completeness;
    private final DailySnapshots snapshots;
    private final EventTimeWatermark watermarks;

    public Compactor(ObjectStore store, LakePath paths, Path workDir, Settings settings, Clock clock) {
        this.store = store;
        this.paths = paths;
        this.workDir = workDir;
        this.settings = settings;
        this.clock = clock;
        // The sink's markers live under the same prefix: a file one still names above its safe offset is left alone.
        this.swap = new PartitionSwap(store, paths, Finality.sinkMarkers(store, paths), settings.leaseTtl());
        this.completeness = new Completeness(store, paths, workDir.resolve("rows"));
        this.snapshots = new DailySnapshots(store, paths, swap, workDir, settings.targetBytes());
        this.watermarks = new EventTimeWatermark(store, swap, workDir);
    }

    public Pass pass(List<String> tables) throws IOException {
        int recovered = (int) swap.recoverInterrupted().stream()
                .filter(r -> r.recovered() != SwapResult.Recovery.NONE).count();
        Instant now = clock.instant();
        int closed = 0;
        int compacted = 0;
        int busy = 0;
        int before = 0;
        int after = 0;
        long written = 0;
        int snapshotDays = 0;
        LakePath.HourPartition horizonStart = LakePath.hourOf(now.minus(settings.horizon()).toEpochMilli());
        for (String table : tables) {
            long lastClosedEnd = lastClosedEnd(table, horizonStart, now);
            long hoursEnd = settings.closeCurrentHour()
                    ? Math.max(lastClosedEnd, LakePath.hourOf(now.toEpochMilli()).startMillis() + 3_600_000L) : lastClosedEnd;
            LakePath.HourPartition hour = horizonStart;
            for (; hour.startMillis() + 3_600_000L <= hoursEnd; hour = LakePath.hourOf(hour.startMillis() + 3_600_000L)) {
                PartitionFolder folder = PartitionFolder.hourly(table, hour);
                FolderSnapshot snapshot = swap.snapshot(folder);
                if (snapshot.finals().isEmpty() && snapshot.pending().isEmpty()) {
                    continue;
                }
                closed++;
                FolderState state = swap.record(folder).map(PartitionRecord::state).orElse(FolderState.EMPTY);
                if (HourCompaction.upToDate(snapshot, state)) {
                    if (!completeness.recorded(folder, state)) {
                        completeness.record(folder, state);
                    }
                    continue;
                }
                Path work = Files.createDirectories(workDir.resolve("hour-" + folder.table() + "-" + folder.dt() + "-" + folder.hour()));
                try {
                    SwapResult result = swap.run(folder, new HourCompaction(store, work, settings.targetBytes(), now));
                    if (result.recovered() != SwapResult.Recovery.NONE) {
                        recovered++; // a dead compactor's swap, finished here once its lease had expired
                    }
                    if (result.outcome() == SwapResult.Outcome.BUSY) {
                        busy++;
                        continue;
                    }
                    if (result.outcome() == SwapResult.Outcome.SWAPPED) {
                        compacted++;
                        before += result.replaced();
                        after += result.added();
                        written += result.addedBytes();
                    }
                    completeness.record(folder, swap.record(folder).orElseThrow().state());
                } finally {
                    WorkDirs.deleteRecursively(work);
                }
            }
            if (CurrentState.key(table).isPresent()) {
                // A day is closed when its last hour is.
                LocalDate lastClosedDay = LocalDate.ofInstant(Instant.ofEpochMilli(lastClosedEnd), ZoneOffset.UTC).minusDays(1);
                snapshotDays += snapshots.build(table, LocalDate.parse(horizonStart.dt()), lastClosedDay, now);
            }
        }
        return new Pass(closed, compacted, busy, before, after, written, recovered, snapshotDays);
    }

    /**
     * Where the table's closed hours end: its event-time watermark less the lateness allowance; and,
     * so that the last hours of a table that went quiet close too, at least {@code idleClose} (or the
     * lateness, if longer) before now by the clock.
     */
    private long lastClosedEnd(String table, LakePath.HourPartition horizonStart, Instant now) throws IOException {
        long byClock = now.minus(settings.idleClose().compareTo(settings.lateness()) > 0 ? settings.idleClose() : settings.lateness())
                .toEpochMilli();
        OptionalLong watermark = watermarks.of(table, horizonStart, now);
        return watermark.isPresent() ? Math.max(byClock, watermark.getAsLong() - settings.lateness().toMillis()) : byClock;
    }
}
