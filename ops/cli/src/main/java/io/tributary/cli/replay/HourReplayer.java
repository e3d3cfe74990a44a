package io.tributary.cli.replay;

import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import io.tributary.streams.replay.InProcessPipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * The reading half of a replay: the master history into the pipeline's global stores, then every
 * hour of the range, record by record in (partition, offset) order, through the live topology
 * ({@link InProcessPipeline}). The rows wait in the {@link Spool} by the hour their time gives them;
 * the identities of each hour's source records go to {@code ids/<hour>.bin} (which old lake rows the
 * replay covers); dead letters are kept per hour. Prints one progress line per hour with the rate
 * and the time left.
 */
final class HourReplayer {
    /** What reading produced, per source hour. */
    record HourRead(HourPartition hour, long records, long rows, List<GenericRecord> deadLetters) {
    }

    private final InProcessPipeline pipeline;
    private final RowIdentity identity;
    private final Spool spool;
    private final Path ids;
    private final PrintWriter out;

    HourReplayer(InProcessPipeline pipeline, RowIdentity identity, Path work, PrintWriter out) throws IOException {
        this.pipeline = pipeline;
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

    /** Pipes the master tables' change history (each topic below {@code ends}) into the global stores. */
    long history(RawSource source, Map<String, Map<Integer, Long>> ends) throws IOException {
        long n = 0;
        for (Map.Entry<String, Map<Integer, Long>> topic : ends.entrySet()) {
            n += source.readAll(topic.getKey(), topic.getValue(), pipeline::history);
        }
        out.printf("history: %,d master changes loaded%n", n);
        out.flush();
        return n;
    }

    /** Reads every hour of {@code range} through the pipeline. */
    List<HourRead> read(HourRange range, RawSource source) throws IOException {
        List<HourRead> reads = new ArrayList<>();
        List<HourPartition> hours = range.hours();
        long started = System.nanoTime();
        long total = 0;
        for (int i = 0; i < hours.size(); i++) {
            HourPartition hour = hours.get(i);
            IdentityMultiset produced = new IdentityMultiset();
            List<GenericRecord> dead = new ArrayList<>();
            long[] rows = {0};
            long records;
            try (Spool.Writer rowsOfHour = spool.writer(hour)) {
                records = source.read(hour, record -> {
                    String id = identity.ofInput(record);
                    if (id != null) {
                        produced.add(id);
                    }
                    InProcessPipeline.Output output = pipeline.process(record);
                    for (InProcessPipeline.Row row : output.rows()) {
                        rowsOfHour.write(LakePath.hourOf(row.time()), row.row());
                        rows[0]++;
                    }
                    dead.addAll(output.deadLetters());
                });
            }
            produced.write(ids.resolve(hour + ".bin"));
            reads.add(new HourRead(hour, records, rows[0], dead));
            total += records;
            out.println(progress(i + 1, hours.size(), hour, records, total, System.nanoTime() - started));
            out.flush();
        }
        return reads;
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
