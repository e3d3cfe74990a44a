package io.tributary.cli.replay;

import io.tributary.cli.common.CliError;
import io.tributary.lake.parquet.ContentNamedFile;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.store.WriteCondition;
import io.tributary.lake.swap.Finality;
import io.tributary.lake.swap.FolderSnapshot;
import io.tributary.lake.swap.Heartbeat;
import io.tributary.lake.swap.PartitionRecord.FolderState;
import io.tributary.lake.swap.PartitionSwap;
import io.tributary.lake.swap.Rewriter;
import io.tributary.lake.swap.SwapResult;
import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.lake.PartitionFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.apache.avro.generic.GenericRecord;

/**
 * The writing half of a replay: per hour of the range, the replay's rows become content-named
 * {@code r-} files (same rows, same bytes), and {@link PartitionSwap} replaces the hour's objects
 * as {@link HourRewrite} decides, under the folder's lease; objects a live sink may still write
 * again are left alone, and an hour where such an object predates the catch-up is retried later.
 * Dead letters of the replay go to its own folder ({@code _tributary/replays/<id>/dead_letters/}),
 * not to the live {@code dead_letters} table.
 */
final class HourSwaps {
    private static final Duration LEASE_TTL = Duration.ofMinutes(2);
    private static final Duration SETTLE_POLL = Duration.ofSeconds(2);

    private final ObjectStore store;
    private final LakePath lake;
    private final String table;
    private final String id;
    private final HourRewrite rewrite;
    private final HourReplayer replayer;
    private final Path work;
    private final PartitionSwap swap;
    private final Duration settleWait;

    /** @param settleWait how long to wait, per hour, for a live sink file that predates the catch-up to become final */
    HourSwaps(ObjectStore store, LakePath lake, String table, String id, HourRewrite rewrite, HourReplayer replayer, Path work,
            Duration settleWait) {
        this.store = store;
        this.lake = lake;
        this.table = table;
        this.id = id;
        this.rewrite = rewrite;
        this.replayer = replayer;
        this.work = work;
        this.swap = new PartitionSwap(store, lake, Finality.sinkMarkers(store, lake), LEASE_TTL);
        this.settleWait = settleWait;
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * Swaps the hours, {@code parallelism} at once (each its own folder, lease and scratch files); the
     * summary in hour order. The replay's rows become lake files first, every part of every hour on
     * {@code parallelism} threads in hour order, so an hour's swap starts as soon as its own files are
     * written while later hours' are still being written.
     */
    ReplaySummary swap(HourRange range, List<HourReplayer.HourRead> reads, int parallelism, PrintWriter out) throws IOException {
        List<HourPartition> outside = replayer.spool().hours().stream().filter(h -> !range.contains(h)).toList();
        if (!outside.isEmpty()) {
            throw new CliError("rows of the replay now have times outside " + range + " (hours " + outside.get(0) + " .. "
                    + outside.get(outside.size() - 1) + "): the event time changed; replay a range that also covers them. "
                    + "Nothing was replaced");
        }
        ExecutorService writers = Executors.newFixedThreadPool(Math.max(1, parallelism));
        ExecutorService swaps = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, reads.size())));
        try {
            List<Future<ReplaySummary.Hour>> hours = new ArrayList<>();
            for (HourReplayer.HourRead read : reads) {
                List<Future<ContentNamedFile.Written>> files = new ArrayList<>();
                for (Spool.Part part : replayer.spool().parts(read.hour(), Spool.PART_FILES)) {
                    files.add(writers.submit(() -> write(read.hour(), part)));
                }
                hours.add(swaps.submit(() -> swap(read, rowFiles(read.hour(), files), out)));
            }
            ReplaySummary summary = new ReplaySummary();
            for (Future<ReplaySummary.Hour> hour : hours) {
                summary.add(Tasks.get(hour));
            }
            return summary;
        } finally {
            writers.shutdownNow();
            swaps.shutdownNow();
        }
    }

    private ReplaySummary.Hour swap(HourReplayer.HourRead read, List<ContentNamedFile.Written> replayed, PrintWriter out)
            throws IOException {
        HourPartition hour = read.hour();
        deadLetters(hour, read.deadLetters());
        HourRewrite.Result[] planned = new HourRewrite.Result[1];
        boolean[] unsettled = new boolean[1];
        Rewriter rewriter = new Rewriter() {
            @Override
            public String kind() {
                return "r";
            }

            @Override
            public Plan plan(FolderSnapshot snapshot, FolderState state, Heartbeat heartbeat) throws IOException {
                // The identities afresh on every look: a plan takes those it matches, and a look that
                // ends waiting for a live file must leave them all to the next.
                HourRewrite.Result r = rewrite.plan(snapshot.finals(), replayed, replayer.produced(hour));
                planned[0] = r;
                unsettled[0] = !r.refused() && !rewrite.settled(snapshot.pending());
                if (r.refused() || unsettled[0]) {
                    return Plan.none(List.of(), UnaryOperator.identity());
                }
                return new Plan(r.removed(), r.added(), List.of(), r.changes(),
                        UnaryOperator.identity());
            }
        };
        long deadline = System.nanoTime() + settleWait.toNanos();
        SwapResult result = swap.run(PartitionFolder.hourly(table, hour), rewriter);
        // A live sink file uploaded before the catch-up may hold rows from below the cut; it becomes
        // final (and replaceable) once the sink's marker no longer names it, within a flush or two.
        while (unsettled[0] && System.nanoTime() < deadline) {
            print(out, hour + ": waiting for the live sink to finish a file uploaded before the catch-up");
            sleep(SETTLE_POLL);
            result = swap.run(PartitionFolder.hourly(table, hour), rewriter);
        }
        HourRewrite.Result r = planned[0];
        String outcome = outcome(result, r);
        if (r != null && r.refused()) {
            print(out, String.format("%s refused: %d old rows have no source record in the replay, e.g. %s (an archive gap? "
                    + "--allow-drop drops them)", hour, r.uncovered().size(), r.uncovered().get(0)));
        }
        return new ReplaySummary.Hour(hour, read.records(), r == null ? 0 : r.rowsBefore(),
                r == null || !outcome.equals("replaced") && !outcome.equals("unchanged") ? 0 : r.rowsAfter(),
                result.replaced(), result.added(), read.deadLetters().size(), outcome);
    }

    private static void print(PrintWriter out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private String outcome(SwapResult result, HourRewrite.Result r) {
        if (result.outcome() == SwapResult.Outcome.BUSY) {
            return "busy: another process holds the hour; run again";
        }
        if (r != null && r.refused()) {
            return "refused: old rows without a source record";
        }
        if (result.outcome() == SwapResult.Outcome.SWAPPED) {
            return "replaced";
        }
        return r != null && r.changes() ? "retry: a live sink file is not final yet; run again" : "unchanged";
    }

    /**
     * The replay's rows of an hour as content-named files, one per part. Two parts with the same rows in
     * the same order (a burst of one event sent again and again) would be one object under one name:
     * then the hour is written as one file per run of one schema instead, as many rows as before.
     */
    private List<ContentNamedFile.Written> rowFiles(HourPartition hour, List<Future<ContentNamedFile.Written>> parts)
            throws IOException {
        List<ContentNamedFile.Written> files = new ArrayList<>();
        for (Future<ContentNamedFile.Written> part : parts) {
            files.add(Tasks.get(part));
        }
        if (files.stream().map(ContentNamedFile.Written::name).distinct().count() == files.size()) {
            return files;
        }
        files.clear();
        for (Spool.Part run : replayer.spool().parts(hour, Integer.MAX_VALUE)) {
            files.add(write(hour, run));
        }
        return files;
    }

    private ContentNamedFile.Written write(HourPartition hour, Spool.Part part) throws IOException {
        try (ContentNamedFile file = new ContentNamedFile(work.resolve("out").resolve(hour.toString()), part.schema())) {
            part.read(file::write);
            return file.finish("r");
        }
    }

    private void deadLetters(HourPartition hour, List<GenericRecord> deadLetters) throws IOException {
        if (deadLetters.isEmpty()) {
            return;
        }
        try (ContentNamedFile file = new ContentNamedFile(work.resolve("dead").resolve(hour.toString()), deadLetters.get(0).getSchema())) {
            for (GenericRecord row : deadLetters) {
                file.write(row);
            }
            ContentNamedFile.Written written = file.finish("d");
            store.upload(written.file(), lake.replayKey(id, "dead_letters/" + LakePath.hourOf(hour.startMillis()) + "/" + written.name()),
                    Map.of(), WriteCondition.NONE);
        }
    }

}
