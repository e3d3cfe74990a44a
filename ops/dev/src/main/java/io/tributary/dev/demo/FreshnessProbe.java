package io.tributary.dev.demo;

import io.tributary.schemas.lake.LakeNames;
import io.tributary.schemas.lake.LakePath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Measures freshness: the time from a source record being sent (an event) or committed (a database
 * change) to its row being in an S3 object. A thread of its own lists the table's objects every
 * {@link #POLL} (or right after the previous poll, when one takes longer), reads the new ones, and
 * records, for each id seen for the first time, the time the listing showed its object minus the
 * time it was sent. The figures therefore include up to one poll interval, and no more: the sender
 * never waits for the probe, nor the probe for the sender. An id counts once, so objects rewritten
 * by compaction or a replay do not count its row again.
 */
public final class FreshnessProbe implements AutoCloseable {
    public static final Duration POLL = Duration.ofMillis(250);
    private static final LakePath LAKE = new LakePath(LakeNames.DEFAULT_TOPICS_DIR);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String idQuery;
    private final ToLongFunction<String> sentAt;
    private final Clock clock;
    private final Set<String> seenKeys = new HashSet<>();
    private final Set<String> seenIds = new HashSet<>();
    private final List<Long> latencies = new ArrayList<>();
    private final List<Long> pollGaps = new ArrayList<>();
    private final Path scratch;
    private final Connection db;
    private ScheduledExecutorService poller;
    private long lastPoll = -1;
    private volatile Exception failure;

    /**
     * {@code idQuery}: SQL over {@code rows} (the object's rows) returning one id column, e.g.
     * {@code SELECT event_id FROM rows}; {@code sentAt}: the id's send time in epoch milliseconds,
     * or a negative number for an id this probe does not measure.
     */
    public FreshnessProbe(S3Client s3, String bucket, String prefix, String idQuery, ToLongFunction<String> sentAt, Clock clock)
            throws Exception {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.idQuery = idQuery;
        this.sentAt = sentAt;
        this.clock = clock;
        this.scratch = Files.createTempFile("tributary-freshness", ".parquet");
        this.db = DriverManager.getConnection("jdbc:duckdb:");
    }

    /** Freshness of events: their {@code event_id}s in the events table. */
    public static FreshnessProbe ofEvents(S3Client s3, String bucket, String table, ToLongFunction<String> sentAt, Clock clock)
            throws Exception {
        return new FreshnessProbe(s3, bucket, LAKE.tableRoot(table), "SELECT event_id FROM rows", sentAt, clock);
    }

    /** Freshness of inserts into a CDC table: the {@code id} of each insert's row ({@code _op = 'c'}). */
    public static FreshnessProbe ofInserts(S3Client s3, String bucket, String table, ToLongFunction<String> committedAt, Clock clock)
            throws Exception {
        return new FreshnessProbe(s3, bucket, LAKE.tableRoot(table), "SELECT CAST(id AS VARCHAR) FROM rows WHERE _op = 'c'",
                committedAt, clock);
    }

    /**
     * Starts polling on the probe's own thread. Objects already in the table are not read: none can
     * hold a record sent after this call.
     */
    public synchronized void start() {
        if (poller == null) {
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(o -> seenKeys.add(o.key()));
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "freshness-probe");
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(this::pollQuietly, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (Exception e) {
            failure = e; // reported by measured(): a probe that stopped seeing rows must not look like a slow pipeline
        }
    }

    synchronized void poll() throws Exception {
        List<S3Object> listed = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().toList();
        long shownAt = clock.millis(); // every object of this listing existed by now
        if (lastPoll >= 0) {
            pollGaps.add(shownAt - lastPoll);
        }
        lastPoll = shownAt;
        for (S3Object object : listed) {
            if (!object.key().endsWith(".parquet") || !seenKeys.add(object.key())) {
                continue;
            }
            Files.write(scratch, s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key())).asByteArray());
            try (Statement st = db.createStatement();
                    ResultSet r = st.executeQuery("WITH rows AS (SELECT * FROM read_parquet('" + scratch + "')) " + idQuery)) {
                while (r.next()) {
                    String id = r.getString(1);
                    long sent = id == null ? -1 : sentAt.applyAsLong(id);
                    if (sent >= 0 && seenIds.add(id)) {
                        latencies.add(shownAt - sent);
                    }
                }
            }
        }
    }

    /** The latency at percentile p (0-100), in milliseconds; -1 before any row was seen. */
    public synchronized long percentile(int p) {
        return Percentiles.of(latencies, p);
    }

    /** Rows measured so far; fails when the probe's thread could not poll. */
    public synchronized int measured() {
        if (failure != null) {
            throw new IllegalStateException("the freshness probe failed: " + failure.getMessage(), failure);
        }
        return latencies.size();
    }

    /** The median time between two polls, in milliseconds (at least {@link #POLL}; more when listing and reading took longer). */
    public synchronized long medianPollGapMs() {
        return Percentiles.of(pollGaps, 50);
    }

    @Override
    public void close() throws Exception {
        if (poller != null) {
            poller.shutdownNow();
            poller.awaitTermination(10, TimeUnit.SECONDS);
        }
        synchronized (this) {
            db.close();
            Files.deleteIfExists(scratch);
        }
    }
}
