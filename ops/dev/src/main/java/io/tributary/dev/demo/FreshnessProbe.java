package io.tributary.dev.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Measures freshness: the time from an event being sent to its row being in an S3 object. Each
 * poll lists the table's objects, reads the new ones, and records, for every event id found, the
 * poll time minus the time the event was sent (so the figures include up to one poll interval).
 */
public final class FreshnessProbe implements AutoCloseable {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Map<String, EventSender.Sent> sent;
    private final Set<String> seenKeys = new HashSet<>();
    private final List<Long> latencies = new ArrayList<>();
    private final Path scratch;
    private final Connection db;

    FreshnessProbe(S3Client s3, String bucket, String prefix, Map<String, EventSender.Sent> sent) throws Exception {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.sent = sent;
        this.scratch = Files.createTempFile("tributary-freshness", ".parquet");
        this.db = DriverManager.getConnection("jdbc:duckdb:");
    }

    void poll(long nowMillis) throws Exception {
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            if (!object.key().endsWith(".parquet") || !seenKeys.add(object.key())) {
                continue;
            }
            Files.write(scratch, s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key())).asByteArray());
            try (Statement st = db.createStatement();
                 ResultSet r = st.executeQuery("SELECT event_id FROM read_parquet('" + scratch + "')")) {
                while (r.next()) {
                    EventSender.Sent event = sent.get(r.getString(1));
                    if (event != null) {
                        latencies.add(nowMillis - event.time());
                    }
                }
            }
        }
    }

    /** The latency at percentile p (0-100), in milliseconds; -1 before any row was seen. */
    public long percentile(int p) {
        return Percentiles.of(latencies, p);
    }

    public int measured() {
        return latencies.size();
    }

    @Override
    public void close() throws Exception {
        db.close();
        Files.deleteIfExists(scratch);
    }
}
