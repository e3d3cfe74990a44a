package io.tributary.cli.replay;

import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import io.tributary.streams.replay.InProcessPipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * The reading half of a replay: the master history into the pipelines' global stores, then every
 * hour of the range, record by record in (partition, offset) order, through the live topology
 * ({@link InProcessPipeline}), with {@code --parallelism} pipelines sharing the records. The rows wait
 * in the {@link Spool} by the hour their time gives them; the identities of each hour's source records
 * go to {@code ids/<hour>.bin} (which old lake rows the replay covers); dead letters are kept per hour.
 * Prints a progress line with the rate and the time left.
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
    /** Source hours with files open at once (a month's replay meets 720 in every partition). */
    static final int OPEN_HOURS = 64;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final List<InProcessPipeline> pipelines;
    private final int block;
    private final int openHours;
    private final BlockingQueue<InProcessPipeline> idle;
    private final RowIdentity identity;
    private final Spool spool;
    private final Path ids;
    private final PrintWriter out;

    /** @param pipelines one per thread: blocks of records go to whichever is idle */
    HourReplayer(List<InProcessPipeline> pipelines, RowIdentity identity, Path work, PrintWriter out) throws IOException {
        this(pipelines, BLOCK, OPEN_HOURS, Spool.FILE_ROWS, identity, work, out);
    }

    /**
     * @param block     records per task handed to a pipeline (tests: small, to spread a few records over the pipelines)
     * @param openHours source hours with files open at once (tests: 1, to close and reopen them)
     * @param spoolFileRows rows per spool file (tests: a few, to write an hour as several lake files)
     */
    HourReplayer(List<InProcessPipeline> pipelines, int block, int openHours, int spoolFileRows, RowIdentity identity, Path work,
            PrintWriter out) throws IOException {
        this.pipelines = pipelines;
        this.block = block;
        this.openHours = openHours;
        this.idle = new LinkedBlockingQueue<>(pipelines);
        this.identity = identity;
        this.spool = new Spool(work.resolve("rows"), spoolFileRows);
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
            n = source.read(List.of(before), (hour, record, id) -> pipeline.process(record));
        }
        out.printf("warm-up: %,d changes of %s read for the de-duplication state%n", n, before);
        out.flush();
        return n;
    }

    /**
     * Reads every hour of {@code range} in one pass over the source, through all the pipelines at once:
     * blocks of records ({@link #BLOCK}) go to whichever pipeline is idle, and their rows are written
     * in source order, so each hour's rows are those of one pipeline reading its records in (partition,
     * offset) order (an events record's rows depend only on it and the history; a CDC table has one
     * pipeline, which takes the blocks in order, and a row's changes are in one partition). Prints a
     * progress line every {@link #PROGRESS_EVERY} and at the end.
     */
    List<HourRead> read(HourRange range, RawSource source) throws IOException {
        Progress progress = new Progress(source.expectedRecords(range.hours()));
        Map<HourPartition, HourOutput> outputs = new HashMap<>();
        OpenFiles open = new OpenFiles();
        Deque<Future<Processed>> inFlight = new ArrayDeque<>();
        List<Pending> records = new ArrayList<>(block);
        ExecutorService threads = Executors.newFixedThreadPool(pipelines.size());
        try {
            source.read(range.hours(), (hour, record, id) -> {
                records.add(new Pending(hour, record, id));
                if (records.size() == block) {
                    inFlight.add(threads.submit(process(List.copyOf(records))));
                    records.clear();
                    while (inFlight.size() > 2 * pipelines.size()) {
                        take(Tasks.get(inFlight.removeFirst()), outputs, open);
                    }
                    progress.read(block);
                }
            });
            if (!records.isEmpty()) {
                inFlight.add(threads.submit(process(List.copyOf(records))));
                progress.read(records.size());
            }
            while (!inFlight.isEmpty()) {
                take(Tasks.get(inFlight.removeFirst()), outputs, open);
            }
            progress.done();
            List<HourRead> reads = new ArrayList<>();
            for (HourPartition hour : range.hours()) {
                HourOutput output = outputs.get(hour);
                if (output == null) {
                    reads.add(new HourRead(hour, 0, 0, List.of()));
                } else {
                    output.flush();
                    reads.add(new HourRead(hour, output.records, output.rows, output.dead));
                }
            }
            return reads;
        } finally {
            inFlight.forEach(f -> f.cancel(true));
            threads.shutdownNow();
            for (HourOutput output : outputs.values()) {
                output.spooled.close(); // after a failure: no file left open
            }
        }
    }

    /** A record read, its source hour and its identity leaf's text. */
    private record Pending(HourPartition hour, InProcessPipeline.Input record, String id) {
    }

    /** What a block of records became: per record, its source hour, rows, dead letters and the identities it produced. */
    private record Processed(List<HourPartition> hours, List<InProcessPipeline.Output> outputs, List<List<String>> identities) {
    }

    private void take(Processed block, Map<HourPartition, HourOutput> outputs, OpenFiles open) throws IOException {
        for (int i = 0; i < block.outputs().size(); i++) {
            HourPartition hour = block.hours().get(i);
            HourOutput output = outputs.get(hour);
            if (output == null) {
                output = new HourOutput(hour);
                outputs.put(hour, output);
            }
            open.use(output);
            output.add(block.outputs().get(i), block.identities().get(i));
        }
    }

    /**
     * The source hours whose files are open, least recently written first: a pass over Kafka meets
     * every hour of the range in every partition, so beyond {@code openHours} the least recent one
     * closes its files (and starts new ones if it gets more rows: the split depends only on the input).
     */
    private final class OpenFiles {
        private final LinkedHashMap<HourPartition, HourOutput> recent = new LinkedHashMap<>(16, 0.75f, true);

        void use(HourOutput output) throws IOException {
            recent.put(output.hour, output);
            if (recent.size() > openHours) {
                Iterator<HourOutput> eldest = recent.values().iterator();
                HourOutput closing = eldest.next();
                eldest.remove();
                closing.flush();
            }
        }
    }

    /** What a source hour's records became so far, taken in source order. */
    private final class HourOutput {
        private final HourPartition hour;
        private final Spool.Writer spooled;
        private IdentityMultiset produced = new IdentityMultiset();
        private final List<GenericRecord> dead = new ArrayList<>();
        private long records;
        private long rows;

        HourOutput(HourPartition hour) {
            this.hour = hour;
            this.spooled = spool.writer(hour);
        }

        void add(InProcessPipeline.Output output, List<String> identities) throws IOException {
            records++;
            identities.forEach(produced::add);
            for (InProcessPipeline.Row row : output.rows()) {
                spooled.write(LakePath.hourOf(row.time()), row.schema(), row.datum());
                rows++;
            }
            dead.addAll(output.deadLetters());
        }

        /** Closes the open files and appends the identities so far to the hour's identity file. */
        void flush() throws IOException {
            spooled.close();
            produced.append(ids.resolve(hour + ".bin"));
            produced = new IdentityMultiset();
        }
    }

    private Callable<Processed> process(List<Pending> records) {
        return () -> {
            InProcessPipeline pipeline = idle.take();
            try {
                List<HourPartition> hours = new ArrayList<>(records.size());
                List<InProcessPipeline.Output> outputs = new ArrayList<>(records.size());
                List<List<String>> identities = new ArrayList<>(records.size());
                for (Pending pending : records) {
                    InProcessPipeline.Output output = pipeline.process(pending.record());
                    hours.add(pending.hour());
                    outputs.add(output);
                    identities.add(identity.produced(pending.record(), pending.id(), output, pipeline));
                }
                return new Processed(hours, outputs, identities);
            } finally {
                idle.add(pipeline);
            }
        };
    }

    /** The progress line of a pass: records read of those expected, the rate, the time left. */
    private final class Progress {
        private final long expected;
        private final long started = System.nanoTime();
        private long read;
        private long lastPrinted = started;

        Progress(long expected) {
            this.expected = expected;
        }

        void read(int records) {
            read += records;
            long now = System.nanoTime();
            if (now - lastPrinted >= PROGRESS_EVERY.toNanos()) {
                lastPrinted = now;
                print(now);
            }
        }

        void done() {
            print(System.nanoTime());
        }

        private void print(long now) {
            out.println(progress(read, expected, now - started));
            out.flush();
        }
    }

    /**
     * {@code [#####---------------] 25,000 of ~100,000 records  5,000 records/s  ETA 0:00:15}: {@code expected}
     * counts what the source holds from the range's first possible record to the cut, which may include
     * records of other hours, so the bar may end short of full.
     */
    static String progress(long read, long expected, long elapsedNanos) {
        int width = 20;
        long of = Math.max(expected, read);
        int filled = of == 0 ? width : (int) (width * read / of);
        double seconds = Math.max(elapsedNanos / 1e9, 1e-3);
        double rate = read / seconds;
        long eta = rate <= 0 ? 0 : Math.round((of - read) / rate);
        return String.format("[%s%s] %,d of ~%,d records  %,.0f records/s  ETA %d:%02d:%02d", "#".repeat(filled),
                "-".repeat(width - filled), read, of, rate, eta / 3600, eta / 60 % 60, eta % 60);
    }
}
