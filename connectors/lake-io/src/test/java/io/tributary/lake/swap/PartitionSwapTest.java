package io.tributary.lake.swap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.lake.marker.Owner;
import io.tributary.lake.marker.PartitionMarker;
import io.tributary.lake.store.InMemoryObjectStore.Crash;
import io.tributary.lake.store.InMemoryObjectStore;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.swap.SwapResult.Outcome;
import io.tributary.lake.swap.SwapResult.Recovery;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.lake.PartitionFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replacement protocol against an in-memory S3 with conditional writes, crashes before and
 * after any request, failing requests and a sink adding objects between any two requests. After
 * every single request every row must be visible at least once; once a later process has
 * recovered, exactly once. It fails if deletes move before the publishing copies, if recovery
 * ignores the journal, or if objects a marker still names are replaced.
 */
class PartitionSwapTest {
    static final LakePath PATHS = new LakePath("lake");
    static final PartitionFolder HOUR = new PartitionFolder("app_events", "2026-11-05", "03");
    static final String FOLDER = PATHS.folder(HOUR);
    static final String TOPIC = "lake.app_events";
    static final Duration TTL = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    /** Five final sink files and one its marker still names (partition 1, offsets 110..119). */
    private List<Long> seed(InMemoryObjectStore store) throws IOException {
        List<Long> ids = new ArrayList<>();
        long[][] files = {{0, 0, 9}, {0, 10, 19}, {0, 20, 29}, {1, 100, 104}, {1, 105, 109}, {1, 110, 119}};
        for (long[] f : files) {
            List<Long> rows = LongStream.rangeClosed(f[1], f[2]).boxed().toList();
            store.replace(sinkFile((int) f[0], f[1], f[2]), IdFiles.bytes(dir, rows));
            ids.addAll(rows);
        }
        PartitionMarker.FileEntry open = new PartitionMarker.FileEntry(sinkFile(1, 110, 119), HOUR.dt(), HOUR.hour(), 110, 119);
        store.replace(PATHS.markerKey(TOPIC, 1),
                PartitionMarker.of(new Owner("lake-sink", "topic-id"), 3, "w", 110, List.of(open)).toJson());
        return ids;
    }

    private static String sinkFile(int partition, long start, long end) {
        return PATHS.file(HOUR.table(), HOUR.hourPartition(), TOPIC, partition, start, end);
    }

    private PartitionSwap swap(ObjectStore store, AtomicLong clock, String holder) {
        return new PartitionSwap(store, PATHS, Finality.sinkMarkers(store, PATHS), TTL, clock::get, holder);
    }

    private static Map<Long, Long> counts(List<Long> ids) {
        return ids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void mergesTheFinalObjectsLeavesTheOneAMarkerNamesAndRecordsTheFolder() throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(1));
        List<Long> ids = seed(store);
        PartitionSwap swap = swap(store, new AtomicLong(), "A");

        SwapResult result = swap.run(HOUR, IdFiles.merger(store, dir));

        assertThat(result.outcome()).isEqualTo(Outcome.SWAPPED);
        assertThat(result.replaced()).isEqualTo(5);
        assertThat(result.added()).isEqualTo(1);
        List<String> keys = store.snapshot().keySet().stream().filter(k -> k.startsWith(FOLDER)).toList();
        assertThat(keys).hasSize(2).contains(sinkFile(1, 110, 119)).anyMatch(k -> k.matches(".*/c-[0-9a-f]{32}\\.parquet"));
        assertThat(counts(IdFiles.visible(dir, store.snapshot(), FOLDER))).isEqualTo(counts(ids));
        PartitionRecord record = swap.record(HOUR).orElseThrow();
        assertThat(record.lease()).isNull();
        assertThat(record.swap()).isNull();
        assertThat(record.state().rows()).as("the merged rows are known; the pending file is not yet").isEqualTo(40);
        assertThat(record.state().files()).isEqualTo(1);
        assertThat(record.state().closedAt()).isEqualTo("2026-11-05T05:00:00Z");
        assertThat(record.state().contentVersion()).as("compaction rearranges rows, it changes none").isZero();
        assertThat(store.snapshot().keySet()).noneMatch(k -> k.contains("/_tributary/staging/") || k.contains("/_tributary/swaps/"));

        assertThat(swap.run(HOUR, IdFiles.merger(store, dir)).outcome()).as("one final object: nothing to merge")
                .isEqualTo(Outcome.UNCHANGED);

        // The sink moves its safe offset past the file: now it is final and the next pass folds it in.
        store.replace(PATHS.markerKey(TOPIC, 1), PartitionMarker.of(new Owner("lake-sink", "topic-id"), 3, "w", 120, List.of()).toJson());
        assertThat(swap.run(HOUR, IdFiles.merger(store, dir)).outcome()).isEqualTo(Outcome.SWAPPED);
        assertThat(store.snapshot().keySet().stream().filter(k -> k.startsWith(FOLDER))).hasSize(1);
        assertThat(counts(IdFiles.visible(dir, store.snapshot(), FOLDER))).isEqualTo(counts(ids));
        assertThat(swap.record(HOUR).orElseThrow().state().rows()).isEqualTo(50);
    }

    @Test
    void theSameContentGetsTheSameNameSoASecondIdenticalReplacementChangesNothing() throws IOException {
        InMemoryObjectStore first = new InMemoryObjectStore(new Random(2));
        InMemoryObjectStore second = new InMemoryObjectStore(new Random(3));
        seed(first);
        seed(second);
        swap(first, new AtomicLong(), "A").run(HOUR, IdFiles.merger(first, dir));
        swap(second, new AtomicLong(), "B").run(HOUR, IdFiles.merger(second, dir));

        Map<String, byte[]> a = first.snapshot();
        Map<String, byte[]> b = second.snapshot();
        List<String> merged = a.keySet().stream().filter(k -> k.contains("/c-")).toList();
        assertThat(merged).hasSize(1);
        assertThat(b).containsKey(merged.get(0));
        assertThat(b.get(merged.get(0))).isEqualTo(a.get(merged.get(0)));
    }

    @Test
    void everyRowStaysVisibleAndEndsExactlyOnceWhateverTheCrashPoint() throws IOException {
        int requests = cleanRunRequests();
        int crashed = 0;
        Map<Recovery, Integer> recoveries = new HashMap<>();
        for (int n = 1; n <= requests; n++) {
            Scenario s = new Scenario(n);
            s.store.crashAtRequest(n);
            try {
                swap(s.watched, s.clock, "A").run(HOUR, IdFiles.merger(s.watched, dir));
            } catch (Crash crash) {
                crashed++;
            }
            s.store.noCrash();
            s.recover(n % 2 == 0, recoveries);
            s.assertExactlyOnce("crash at request " + n);
        }
        // The sink's uploads only add requests (more objects to merge), so every run reaches request n.
        assertThat(crashed).as("a crash at each request of a run").isEqualTo(requests);
        assertThat(recoveries).as("recoveries seen").containsKeys(Recovery.ROLLED_FORWARD, Recovery.CLEANED_UP);
    }

    @Test
    void failingRequestsOnlyMeanRunningAgain() throws IOException {
        for (int seed = 0; seed < 20; seed++) {
            Scenario s = new Scenario(100 + seed);
            s.store.failRequests(0.05);
            PartitionSwap swap = swap(s.watched, s.clock, "A");
            int runs = 0;
            while (true) {
                assertThat(runs++).as("runs until one succeeds").isLessThan(300);
                if (runs == 5) {
                    s.sinkStopped = true; // so that the folder can settle
                }
                try {
                    if (swap.run(HOUR, IdFiles.merger(s.watched, dir)).outcome() == Outcome.UNCHANGED) {
                        break;
                    }
                } catch (IOException failed) {
                    // the next pass starts over (or finishes the journal it left)
                }
            }
            s.store.failRequests(0);
            s.assertExactlyOnce("seed " + seed);
        }
    }

    @Test
    void aReplacementWhoseStagedObjectsVanishedIsUndoneAndTheOldObjectsStay() throws IOException {
        for (int seed = 0; ; seed++) {
            assertThat(seed).as("a seed that crashes before the first copy").isLessThan(50);
            Scenario s = new Scenario(seed, 0);
            s.store.crashAtRequest(s.requestOf("copy"));
            try {
                swap(s.watched, s.clock, "A").run(HOUR, IdFiles.merger(s.watched, dir));
            } catch (Crash crash) {
                if (!crash.getMessage().startsWith("crash before copy")) {
                    continue;
                }
            }
            // A lifecycle rule expired the staging area before anyone came back.
            s.store.snapshot().keySet().stream().filter(k -> k.contains("/_tributary/staging/")).forEach(s.store::remove);
            Map<String, byte[]> before = s.folderObjects();
            s.clock.addAndGet(TTL.toNanos());
            PartitionSwap b = swap(s.store, s.clock, "B");
            assertThat(b.recoverInterrupted()).extracting(SwapResult::recovered).containsExactly(Recovery.NONE);
            s.clock.addAndGet(TTL.toNanos());
            assertThat(b.recoverInterrupted()).extracting(SwapResult::recovered).containsExactly(Recovery.ROLLED_BACK);
            assertThat(s.folderObjects()).isEqualTo(before);
            assertThat(b.record(HOUR).orElseThrow().swap()).isNull();
            return;
        }
    }

    @Test
    void aLiveLeaseMakesOthersWaitAndOneUnchangedForTheTtlIsTakenOver() throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(4));
        List<Long> ids = seed(store);
        AtomicLong clock = new AtomicLong();
        PartitionSwap b = swap(store, clock, "B");
        Rewriter stalled = new Rewriter() {
            @Override
            public String kind() {
                return "c";
            }

            @Override
            public Plan plan(FolderSnapshot snapshot, PartitionRecord.FolderState state, Heartbeat heartbeat) throws IOException {
                // While A holds the lease and beats, B must wait.
                for (int i = 0; i < 3; i++) {
                    assertThat(b.run(HOUR, IdFiles.merger(store, dir)).outcome()).isEqualTo(Outcome.BUSY);
                    clock.addAndGet(TTL.toNanos() / 2);
                    heartbeat.keepAlive();
                }
                // A pauses past the TTL: B takes the folder over and merges it.
                clock.addAndGet(TTL.toNanos());
                assertThat(b.run(HOUR, IdFiles.merger(store, dir)).outcome()).isEqualTo(Outcome.BUSY);
                clock.addAndGet(TTL.toNanos());
                assertThat(b.run(HOUR, IdFiles.merger(store, dir)).outcome()).isEqualTo(Outcome.SWAPPED);
                heartbeat.keepAlive();
                throw new AssertionError("A's heartbeat must fail once B took the lease");
            }
        };
        assertThatThrownBy(() -> swap(store, clock, "A").run(HOUR, stalled)).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("another process took the folder over");
        assertThat(counts(IdFiles.visible(dir, store.snapshot(), FOLDER))).isEqualTo(counts(ids));
    }

    @Test
    void aRewriterCannotReplaceAnObjectTheSinkMayWriteAgain() throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore(new Random(5));
        seed(store);
        Rewriter greedy = new Rewriter() {
            @Override
            public String kind() {
                return "c";
            }

            @Override
            public Plan plan(FolderSnapshot snapshot, PartitionRecord.FolderState state, Heartbeat heartbeat) {
                return new Plan(snapshot.pending(), List.of(), List.of(), false, f -> f);
            }
        };
        assertThatThrownBy(() -> swap(store, new AtomicLong(), "A").run(HOUR, greedy)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only final objects");
        assertThat(store.snapshot()).containsKey(sinkFile(1, 110, 119));
    }

    private int cleanRunRequests() throws IOException {
        Scenario s = new Scenario(0, 0);
        long before = s.store.requests();
        swap(s.watched, s.clock, "A").run(HOUR, IdFiles.merger(s.watched, dir));
        return (int) (s.store.requests() - before);
    }

    /** A seeded store and a sink that adds a file between requests now and then. */
    private final class Scenario {
        final InMemoryObjectStore store;
        final WatchedStore watched;
        final AtomicLong clock = new AtomicLong();
        final List<Long> expected;
        private final Random random;
        private final double sinkRate;
        private long nextOffset = 1000;
        boolean sinkStopped;

        Scenario(long seed) throws IOException {
            this(seed, 0.1);
        }

        Scenario(long seed, double sinkRate) throws IOException {
            this.random = new Random(seed);
            this.sinkRate = sinkRate;
            this.store = new InMemoryObjectStore(new Random(seed));
            this.expected = new ArrayList<>(seed(store));
            this.watched = new WatchedStore(store, this::assertEveryRowVisible, this::maybeSinkUpload);
        }

        private void maybeSinkUpload() throws IOException {
            if (!sinkStopped && random.nextDouble() < sinkRate) {
                List<Long> rows = List.of(nextOffset, nextOffset + 1);
                store.replace(sinkFile(2, nextOffset, nextOffset + 1), IdFiles.bytes(dir, rows));
                expected.addAll(rows);
                nextOffset += 2;
            }
        }

        private void assertEveryRowVisible() throws IOException {
            Map<Long, Long> visible = counts(IdFiles.visible(dir, store.snapshot(), FOLDER));
            assertThat(new TreeSet<>(expected)).allSatisfy(id -> assertThat(visible).as("row %d", id).containsKey(id));
        }

        /** The number of the first request starting with {@code what} in a clean run of the same scenario. */
        int requestOf(String what) throws IOException {
            Scenario probe = new Scenario(0, 0);
            long start = probe.store.requests();
            swap(probe.watched, probe.clock, "probe").run(HOUR, IdFiles.merger(probe.watched, dir));
            List<String> log = probe.store.requestLog();
            for (int i = (int) start; i < log.size(); i++) {
                if (log.get(i).startsWith(what)) {
                    return (int) (i + 1 - start);
                }
            }
            throw new AssertionError("no " + what + " request in " + log);
        }

        /** A later process finishes what the crashed one left, then runs until nothing is left to merge. */
        void recover(boolean sweepFirst, Map<Recovery, Integer> recoveries) throws IOException {
            PartitionSwap b = swap(watched, clock, "B");
            if (sweepFirst) {
                for (int i = 0; i < 2; i++) {
                    for (SwapResult r : b.recoverInterrupted()) {
                        recoveries.merge(r.recovered(), 1, Integer::sum);
                    }
                    clock.addAndGet(TTL.toNanos());
                }
            }
            for (int runs = 0; runs < 10; runs++) {
                sinkStopped = runs >= 3; // the sink writes during the first runs, then the folder settles
                SwapResult result = b.run(HOUR, IdFiles.merger(watched, dir));
                recoveries.merge(result.recovered(), 1, Integer::sum);
                if (result.outcome() == Outcome.BUSY) {
                    clock.addAndGet(TTL.toNanos());
                } else if (result.outcome() == Outcome.UNCHANGED && result.recovered() == Recovery.NONE) {
                    return;
                }
            }
            throw new AssertionError("the folder did not settle in 10 runs");
        }

        Map<String, byte[]> folderObjects() {
            Map<String, byte[]> out = new java.util.TreeMap<>(store.snapshot());
            out.keySet().removeIf(k -> !k.startsWith(FOLDER));
            return out;
        }

        void assertExactlyOnce(String when) throws IOException {
            Map<Long, Long> visible = counts(IdFiles.visible(dir, store.snapshot(), FOLDER));
            assertThat(visible).as(when).isEqualTo(counts(expected));
            assertThat(store.snapshot().keySet()).as(when + ": staging and swap index cleaned")
                    .noneMatch(k -> k.contains("/_tributary/staging/") || k.contains("/_tributary/swaps/"));
            PartitionRecord record = PartitionRecord.fromJson(store.snapshot().get(PATHS.partitionRecordKey(HOUR)), "record");
            assertThat(record.lease()).as(when).isNull();
            assertThat(record.swap()).as(when).isNull();
            assertThat(store.snapshot()).as(when + ": the file the marker names").containsKey(sinkFile(1, 110, 119));
        }
    }
}
