package io.tributary.connect.s3.writer;

import static io.tributary.connect.s3.writer.WriterFixture.T0;
import static io.tributary.connect.s3.writer.WriterFixture.TOPIC_ID;
import static io.tributary.connect.s3.writer.WriterFixture.V1;
import static io.tributary.connect.s3.writer.WriterFixture.row;
import static io.tributary.connect.s3.writer.WriterFixture.tp;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.connect.s3.metrics.SinkMetrics;
import io.tributary.connect.s3.rotation.RotationReason;
import io.tributary.lake.store.InMemoryObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink's metrics as Connect's plugin metrics registry holds them (the worker gives a task the
 * same PluginMetricsImpl, tagged with its connector and task): counters at zero from the start,
 * then rotations by reason, uploads, failures, skips and the task's state after each batch.
 */
class SinkMetricsTest {
    private final Metrics registry = new Metrics();
    private final SinkMetrics metrics = SinkMetrics.of(new PluginMetricsImpl(registry,
            new LinkedHashMap<>(Map.of("connector", "lake-sink", "task", "0"))), "9.9.9");

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void countsRotationsByReasonUploadsFailuresSkipsAndTheTasksState() throws IOException {
        for (RotationReason reason : RotationReason.values()) {
            assertThat(value(SinkMetrics.ROTATIONS, "reason", reason.name())).as(reason.name()).isZero();
        }
        assertThat(value(SinkMetrics.UPLOAD_FAILURES)).isZero();
        assertThat(value(SinkMetrics.BUILD_INFO, "version", "9.9.9")).isEqualTo(1);

        InMemoryObjectStore store = new InMemoryObjectStore(new Random(3));
        WriterFixture fixture = new WriterFixture(dir);
        SinkWriter writer = new SinkWriter(fixture.config(S3SinkConfig.FLUSH_SIZE, "2", S3SinkConfig.ROTATE_SCHEDULE_INTERVAL_MS, "10000"), store, new LocalBuffer(dir), metrics);
        writer.open(tp(0), TOPIC_ID);
        writer.write(tp(0), 0, T0, row(V1, 1, T0), 40, 0);
        writer.write(tp(0), 1, T0 + 1, row(V1, 2, T0 + 1), 40, 0); // flush.size reached
        writer.write(tp(0), 2, T0 + 2, row(V1, 3, T0 + 2), 40, 0);
        writer.flush(0);
        assertThat(value(SinkMetrics.ROTATIONS, "reason", "RECORD_COUNT")).isEqualTo(1);
        assertThat(value(SinkMetrics.UPLOADS)).isEqualTo(1);
        assertThat(value(SinkMetrics.UPLOADED_BYTES)).isEqualTo(store.objects.entrySet().stream()
                .filter(e -> e.getKey().endsWith(".parquet")).mapToLong(e -> e.getValue().length).sum()).isPositive();
        assertThat(value(SinkMetrics.OPEN_FILES)).isEqualTo(1);
        assertThat(value(SinkMetrics.BUFFERED_BYTES)).isPositive();
        assertThat(value(SinkMetrics.UNCOMMITTED_RECORDS)).as("offset 2 is in the open file").isEqualTo(1);

        writer.write(tp(0), 1, T0 + 1, row(V1, 2, T0 + 1), 40, 0); // redelivered
        assertThat(value(SinkMetrics.SKIPPED_ON_RECOVERY)).isEqualTo(1);

        store.failRequests(1.0);
        writer.flush(20_000_000); // the wall-clock flush closes the open file; its upload fails
        assertThat(value(SinkMetrics.ROTATIONS, "reason", "SCHEDULED_FLUSH")).isEqualTo(1);
        assertThat(value(SinkMetrics.UPLOAD_FAILURES)).isEqualTo(1);
        assertThat(value(SinkMetrics.OPEN_FILES)).isZero();
        assertThat(value(SinkMetrics.UNCOMMITTED_RECORDS)).as("waiting for upload, still not in S3").isEqualTo(1);
    }

    /** Two tasks (of one connector or two) on one worker share its registry; each counts only its own. */
    @Test
    void eachTaskCountsOnlyItsOwnUploads() {
        SinkMetrics task1 = SinkMetrics.of(new PluginMetricsImpl(registry,
                new LinkedHashMap<>(Map.of("connector", "lake-sink", "task", "1"))), "9.9.9");
        SinkMetrics archive0 = SinkMetrics.of(new PluginMetricsImpl(registry,
                new LinkedHashMap<>(Map.of("connector", "raw-archive", "task", "0"))), "9.9.9");
        task1.uploaded(100, 5);
        task1.uploaded(50, 7);
        archive0.rotated(RotationReason.RECORD_COUNT);

        assertThat(taskValue("lake-sink", "1", SinkMetrics.UPLOADS)).isEqualTo(2);
        assertThat(taskValue("lake-sink", "1", SinkMetrics.UPLOADED_BYTES)).isEqualTo(150);
        assertThat(taskValue("lake-sink", "1", SinkMetrics.UPLOAD_TIME_TOTAL)).isEqualTo(12);
        assertThat(value(SinkMetrics.UPLOADS)).as("task 0").isZero();
        assertThat(taskValue("raw-archive", "0", SinkMetrics.UPLOADS)).isZero();
        assertThat(taskValue("raw-archive", "0", SinkMetrics.ROTATIONS, "reason", "RECORD_COUNT")).isEqualTo(1);
        assertThat(value(SinkMetrics.ROTATIONS, "reason", "RECORD_COUNT")).as("task 0").isZero();
        metrics.uploadFailed();
        assertThat(value(SinkMetrics.UPLOAD_FAILURES)).isEqualTo(1);
        assertThat(taskValue("lake-sink", "1", SinkMetrics.UPLOAD_FAILURES)).isZero();
    }

    private double value(String name, String... tags) {
        return taskValue("lake-sink", "0", name, tags);
    }

    private double taskValue(String connector, String task, String name, String... tags) {
        Map<String, String> wanted = new LinkedHashMap<>(Map.of("connector", connector, "task", task));
        for (int i = 0; i < tags.length; i += 2) {
            wanted.put(tags[i], tags[i + 1]);
        }
        for (Map.Entry<MetricName, KafkaMetric> e : registry.metrics().entrySet()) {
            if (e.getKey().name().equals(name) && e.getKey().group().equals("plugins") && e.getKey().tags().equals(wanted)) {
                return ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("no metric " + name + wanted + " among " + registry.metrics().keySet());
    }
}
