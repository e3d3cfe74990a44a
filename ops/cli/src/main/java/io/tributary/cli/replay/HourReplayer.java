package io.tributary.cli.replay;

import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import io.tributary.streams.replay.InProcessPipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.avro.generic.GenericRecord;

/**
 * The reading half of a replay: the master history into the pipeline's global stores, then every
 * hour of the range, record by record in (partition, offset) order, through the live topology
 * ({@link InProcessPipeline}), with {@code --parallelism} pipelines sharing each hour's records. The rows wait in the {@link Spool}
 * by the hour their time gives them; the identities of each hour's source records go to {@code ids/<hour>.bin} (which old lake rows the
 * replay covers); dead letters are kept per hour. Prints one progress line per hour with the rate
 * and the time left.
 */
final class HourReplayer {
    /** What reading produced, per source hour. */
    record HourRead(HourPartition hour, long records, long rows, List<GenericRecord> deadLetters) {
    }

    /**
     * The master history loaded: how many changes, and where it does not start at offset 0 (retention
     * deleted its beginning), one line per partition naming the first offset and its time.
     */
    record History(long changes, List<String> gaps) {
    }

    /** Records per task handed to a pipeline: large enough that handing over costs little, small enough to balance. */
    static final int BLOCK = 512;

    private final List<InProcessPipeline> pipelines;
    private final int block;
    private final BlockingQueue<InProcessPipeline> idle;
    private final RowIdentity identity;
    private final Spool spool;
    private final Path ids;
    private final PrintWriter out;

    /** @param pipelines one per thread: hours are read in parallel, each by one pipeline */
    HourReplayer(List<InProcessPipeline> pipelines, RowIdentity identity, Path work, PrintWriter out) throws IOException {
        this(pipelines, BLOCK, identity, work, out);
    }

    /** @param block records per task handed to a pipeline (tests: small, to spread a few records over the pipelines) */
    HourReplayer(List<InProcessPipeline> pipelines, int block, RowIdentity identity, Path work, PrintWriter out) throws IOException {
        this.pipelines = pipelines;
        this.block = block;
        this.idle = new LinkedBlockingQueue<>(pipelines);
        this.identity = identity;
        this.spool = new Spool(work.resolve("rows"));
        this.ids = Files.createDirectories(work.resolve("ids"));
        this.out = out;
    }

    Spool spool() {
        return spool;
    }

    /** The identities of the source records of {@code hour} (empty when it had none). */
    IdentityMultiset produced(HourPartition hour) throws IOException {
        IdentityMultiset produced = new IdentityMultiset();
        produced.addAll(ids.resolve(hour + ".bin"));
        return produced;
    }

    /**
     * Pipes the master tables' change history (each topic below {@code ends}) into every pipeline's
     * global stores, each pipeline reading its own copy at the same time.
     */
    History history(RawSource source, Map<String, Map<Integer, Long>> ends) throws IOException {
        long n = 0;
        List<String> gaps = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(pipelines.size());
        try {
            for (Map.Entry<String, Map<Integer, Long>> topic : ends.entrySet()) {
                Map<Integer, InProcessPipeline.Input> first = new TreeMap<>(); // every pipeline reads the same: the first one's
                List<Future<Long>> loads = new ArrayList<>();
                for (InProcessPipeline pipeline : pipelines) {
                    boolean noteFirst = loads.isEmpty();
                    loads.add(threads.submit(() -> source.readAll(topic.getKey(), topic.getValue(), change -> {
                        if (noteFirst) {
                            first.putIfAbsent(change.partition(), change);
                        }
                        pipeline.history(change);
                    })));
                }
                for (Future<Long> load : loads) {
                    n += Tasks.get(load);
                }
                gaps.addAll(gaps(topic.getKey(), topic.getValue(), first));
            }
        } finally {
            threads.shutdownNow();
        }
        n /= pipelines.size();
        out.printf("history: %,d master changes loaded%s%n", n, gaps.isEmpty() ? " (complete: from offset 0)" : "");
        out.flush();
        return new History(n, gaps);
    }

    /** Where a history topic read from the start does not begin at offset 0 of each partition. */
    private static List<String> gaps(String topic, Map<Integer, Long> ends, Map<Integer, InProcessPipeline.Input> first) {
        List<String> gaps = new ArrayList<>();
        new TreeMap<>(ends).forEach((partition, end) -> {
            InProcessPipeline.Input change = first.get(partition);
            if (change == null && end > 0) {
                gaps.add(topic + " partition " + partition + ": none of its " + end + " changes");
            } else if (change != null && change.offset() > 0) {
                gaps.add(String.format("%s partition %d: from offset %,d (%s)", topic, partition, change.offset(),
                        Instant.ofEpochMilli(change.timestamp())));
            }
        });
        return gaps;
    }

    /**
     * CDC tables: reads the hour before the range through every pipeline and keeps nothing of it, so
     * that the de-duplication state (each row's last position and the changes applied at it) is what
     * the live app had when it reached the range. A change whose row's previous change at the same
     * position was committed earlier than that (a transaction open for over an hour) would get another
     * sequence number than live; such a row is then not covered and its hour refused, never duplicated.
     * Returns the records read.
     */
    long warmUp(HourPartition before, RawSource source) throws IOException {
        long n = 0;
        for (InProcessPipeline pipeline : pipelines) {
            n = source.read(before, pipeline::process);
        }
        out.printf("warm-up: %,d changes of %s read for the de-duplication state%n", n, before);
        out.flush();
        return n;
    }

    /**
     * Reads every hour of {@code range}, one after another, each through all the pipelines at once:
     * blocks of records ({@link #BLOCK}) go to whichever pipeline is idle, and their rows are written
     * in source order. The output is the same as one pipeline reading the hour alone (an events
     * record's rows depend only on it and the history; a CDC table has one pipeline, which takes the
     * blocks in order), and a large hour keeps every pipeline busy, where reading whole hours in
     * parallel left all but one idle behind the largest hour.
     */
    List<HourRead> read(HourRange range, RawSource source) throws IOException {
        List<HourPartition> hours = range.hours();
        List<HourRead> reads = new ArrayList<>();
        long total = 0;
        long started = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(pipelines.size());
        try {
            for (HourPartition hour : hours) {
                HourRead read = read(hour, source, threads);
                reads.add(read);
                total += read.records();
                out.println(progress(reads.size(), hours.size(), hour, read.records(), total, System.nanoTime() - started));
                out.flush();
            }
        } finally {
            threads.shutdownNow();
        }
        return reads;
    }

    /** What a block of records became: per record, its rows, its dead letters and the identities it produced. */
    private record Processed(List<InProcessPipeline.Output> outputs, List<List<String>> identities) {
    }

    private HourRead read(HourPartition hour, RawSource source, ExecutorService threads) throws IOException {
        Deque<Future<Processed>> inFlight = new ArrayDeque<>();
        List<InProcessPipeline.Input> records = new ArrayList<>(block);
        try (Spool.Writer rowsOfHour = spool.writer(hour)) {
            HourOutput output = new HourOutput(rowsOfHour);
            long read = source.read(hour, record -> {
                records.add(record);
                if (records.size() == block) {
                    inFlight.add(threads.submit(process(List.copyOf(records))));
                    records.clear();
                    while (inFlight.size() > 2 * pipelines.size()) {
                        output.add(next(inFlight));
                    }
                }
            });
            if (!records.isEmpty()) {
                inFlight.add(threads.submit(process(List.copyOf(records))));
            }
            while (!inFlight.isEmpty()) {
                output.add(next(inFlight));
            }
            output.produced.write(ids.resolve(hour + ".bin"));
            return new HourRead(hour, read, output.rows, output.dead);
        } finally {
            inFlight.forEach(f -> f.cancel(true));
        }
    }

    /** What an hour's records became so far, taken block by block in source order. */
    private static final class HourOutput {
        private final Spool.Writer spooled;
        private final IdentityMultiset produced = new IdentityMultiset();
        private final List<GenericRecord> dead = new ArrayList<>();
        private long rows;

        HourOutput(Spool.Writer spooled) {
            this.spooled = spooled;
        }

        void add(Processed block) throws IOException {
            for (int i = 0; i < block.outputs().size(); i++) {
                InProcessPipeline.Output output = block.outputs().get(i);
                block.identities().get(i).forEach(produced::add);
                for (InProcessPipeline.Row row : output.rows()) {
                    spooled.write(LakePath.hourOf(row.time()), row.row());
                    rows++;
                }
                dead.addAll(output.deadLetters());
            }
        }
    }

    private Callable<Processed> process(List<InProcessPipeline.Input> records) {
        return () -> {
            InProcessPipeline pipeline = idle.take();
            try {
                List<InProcessPipeline.Output> outputs = new ArrayList<>(records.size());
                List<List<String>> identities = new ArrayList<>(records.size());
                for (InProcessPipeline.Input record : records) {
                    InProcessPipeline.Output output = pipeline.process(record);
                    outputs.add(output);
                    identities.add(identity.produced(record, output, pipeline));
                }
                return new Processed(outputs, identities);
            } finally {
                idle.add(pipeline);
            }
        };
    }

    /** Waits for the oldest block in flight and takes it off the queue. */
    private static Processed next(Deque<Future<Processed>> inFlight) throws IOException {
        return Tasks.get(inFlight.removeFirst());
    }

    /** {@code [#####-----] 3/10 hours  2026-11-01T02: 1,234 records  5,678 records/s  ETA 0:00:12}. */
    static String progress(int done, int of, HourPartition hour, long records, long total, long elapsedNanos) {
        int width = 20;
        int filled = (int) ((long) width * done / of);
        double seconds = Math.max(elapsedNanos / 1e9, 1e-3);
        long eta = Math.round(seconds / done * (of - done));
        return String.format("[%s%s] %d/%d hours  %s: %,d records  %,.0f records/s  ETA %d:%02d:%02d",
                "#".repeat(filled), "-".repeat(width - filled), done, of, hour, records, total / seconds,
                eta / 3600, eta / 60 % 60, eta % 60);
    }
}
