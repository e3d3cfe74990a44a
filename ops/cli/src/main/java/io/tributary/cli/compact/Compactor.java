package io.tributary.cli.compact;

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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One compaction pass over the lake: first finishes replacements a crash interrupted, then, for each
 * table and each hour of the horizon that is closed (its end lies more than the lateness allowance
 * in the past), merges its small objects through {@link PartitionSwap} and records the hour complete
 * ({@link Completeness}). An hour that nothing reached since it was completed costs one listing and one
 * GET of its partition record. Late rows written into a complete hour reopen it; the next pass folds
 * them in. Then, for CDC tables, it brings {@code <table>_snapshot} up to the last closed day
 * ({@link DailySnapshots}): the same schedule, the same notion of closed, one process to run.
 */
public final class Compactor {
    /** What a pass did: hours looked at, compacted, left busy (another compactor holds them), and objects before/after. */
    public record Pass(int closedHours, int compacted, int busy, int objectsBefore, int objectsAfter, long bytesWritten,
                       int recovered, int snapshotDays) {
    }

    /** @param targetBytes the size merged objects grow to before a new one starts */
    public record Settings(long targetBytes, Duration lateness, Duration horizon, Duration leaseTtl) {
    }

    private final ObjectStore store;
    private final LakePath paths;
    private final Path workDir;
    private final Settings settings;
    private final Clock clock;
    private final PartitionSwap swap;
    private final Completeness completeness;
    private final DailySnapshots snapshots;

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
    }

    public Pass pass(List<String> tables) throws IOException {
        int recovered = (int) swap.recoverInterrupted().stream()
                .filter(r -> r.recovered() != SwapResult.Recovery.NONE).count();
        Instant now = clock.instant();
        long lastClosedEnd = now.minus(settings.lateness()).toEpochMilli();
        int closed = 0;
        int compacted = 0;
        int busy = 0;
        int before = 0;
        int after = 0;
        long written = 0;
        for (String table : tables) {
            LakePath.HourPartition hour = LakePath.hourOf(now.minus(settings.horizon()).toEpochMilli());
            for (; hour.startMillis() + 3_600_000L <= lastClosedEnd; hour = LakePath.hourOf(hour.startMillis() + 3_600_000L)) {
                PartitionFolder folder = PartitionFolder.hourly(table, hour);
                FolderSnapshot snapshot = swap.snapshot(folder);
                if (snapshot.finals().isEmpty() && snapshot.pending().isEmpty()) {
                    continue;
                }
                closed++;
                FolderState state = swap.record(folder).map(PartitionRecord::state).orElse(FolderState.EMPTY);
                if (HourCompaction.upToDate(snapshot, state)) {
                    continue;
                }
                Path work = Files.createDirectories(workDir.resolve("hour-" + folder.table() + "-" + folder.dt() + "-" + folder.hour()));
                try {
                    SwapResult result = swap.run(folder, new HourCompaction(store, work, settings.targetBytes(), now));
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
                    deleteRecursively(work);
                }
            }
        }
        int snapshotDays = 0;
        LocalDate lastClosedDay = LocalDate.ofInstant(Instant.ofEpochMilli(lastClosedEnd), ZoneOffset.UTC).minusDays(1);
        LocalDate horizonStart = LocalDate.ofInstant(now.minus(settings.horizon()), ZoneOffset.UTC);
        for (String table : tables) {
            if (CurrentState.key(table).isPresent()) {
                snapshotDays += snapshots.build(table, horizonStart, lastClosedDay, now);
            }
        }
        return new Pass(closed, compacted, busy, before, after, written, recovered, snapshotDays);
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
