package io.tributary.cli.replay;

import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import io.tributary.streams.replay.InProcessPipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericRecord;

/**
 * The reading half of a replay: the master history into the pipeline's global stores, then every
 * hour of the range, record by record in (partition, offset) order, through the live topology
 * ({@link InProcessPipeline}), with {@code --parallelism} pipelines reading different hours at once
 * (an events hour depends only on its records and the history). The rows wait in the {@link Spool}
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

    private final List<InProcessPipeline> pipelines;
    private final RowIdentity identity;
    private final Spool spool;
    private final Path ids;
    private final PrintWriter out;

    /** @param pipelines one per thread: hours are read in parallel, each by one pipeline */
    HourReplayer(List<InProcessPipeline> pipelines, RowIdentity identity, Path work, PrintWriter out) throws IOException {
        this.pipelines = pipelines;
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

    /** Pipes the master tables' change history (each topic below {@code ends}) into every pipeline's global stores. */
    History history(RawSource source, Map<String, Map<Integer, Long>> ends) throws IOException {
        long n = 0;
        List<String> gaps = new ArrayList<>();
        for (Map.Entry<String, Map<Integer, Long>> topic : ends.entrySet()) {
            Map<Integer, InProcessPipeline.Input> first = new TreeMap<>();
            for (InProcessPipeline pipeline : pipelines) {
                n += source.readAll(topic.getKey(), topic.getValue(), change -> {
                    first.putIfAbsent(change.partition(), change);
                    pipeline.history(change);
                });
            }
            new TreeMap<>(topic.getValue()).forEach((partition, end) -> {
                InProcessPipeline.Input change = first.get(partition);
                if (change == null && end > 0) {
                    gaps.add(topic.getKey() + " partition " + partition + ": none of its " + end + " changes");
                } else if (change != null && change.offset() > 0) {
                    gaps.add(String.format("%s partition %d: from offset %,d (%s)", topic.getKey(), partition, change.offset(),
                            Instant.ofEpochMilli(change.timestamp())));
                }
            });
        }
        n /= pipelines.size();
        out.printf("history: %,d master changes loaded%s%n", n, gaps.isEmpty() ? " (complete: from offset 0)" : "");
        out.flush();
        return new History(n, gaps);
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

    /** Reads every hour of {@code range} through the pipelines, as many hours at once as there are pipelines. */
    List<HourRead> read(HourRange range, RawSource source) throws IOException {
        List<HourPartition> hours = range.hours();
        HourRead[] reads = new HourRead[hours.size()];
        BlockingQueue<InProcessPipeline> idle = new LinkedBlockingQueue<>(pipelines);
        AtomicLong total = new AtomicLong();
        AtomicInteger done = new AtomicInteger();
        long started = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(pipelines.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < hours.size(); i++) {
                int index = i;
                running.add(threads.submit(() -> {
                    InProcessPipeline pipeline = idle.take();
                    try {
                        HourRead read = read(hours.get(index), source, pipeline);
                        reads[index] = read;
                        long sum = total.addAndGet(read.records());
                        synchronized (out) {
                            out.println(progress(done.incrementAndGet(), hours.size(), read.hour(), read.records(), sum,
                                    System.nanoTime() - started));
                            out.flush();
                        }
                    } finally {
                        idle.add(pipeline);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            threads.shutdownNow();
        }
        return List.of(reads);
    }

    private HourRead read(HourPartition hour, RawSource source, InProcessPipeline pipeline) throws IOException {
        IdentityMultiset produced = new IdentityMultiset();
        List<GenericRecord> dead = new ArrayList<>();
        long[] rows = {0};
        long records;
        try (Spool.Writer rowsOfHour = spool.writer(hour)) {
            records = source.read(hour, record -> {
                InProcessPipeline.Output output = pipeline.process(record);
                identity.produced(record, output, pipeline).forEach(produced::add);
                for (InProcessPipeline.Row row : output.rows()) {
                    rowsOfHour.write(LakePath.hourOf(row.time()), row.row());
                    rows[0]++;
                }
                dead.addAll(output.deadLetters());
            });
        }
        produced.write(ids.resolve(hour + ".bin"));
        return new HourRead(hour, records, rows[0], dead);
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
