package io.tributary.connect.s3.metrics;

import io.tributary.connect.s3.rotation.RotationReason;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;

/**
 * The sink's metrics, registered through Connect's plugin metrics (KIP-877, Kafka 4.1+), so they sit
 * next to the worker's own: JMX beans {@code kafka.connect:type=plugins,connector=C,task=N} (plus a
 * {@code reason} key for rotations), exported to Prometheus by the JMX exporter rules in
 * {@code ops/monitoring/jmx-exporter/connect.yaml}. Every counter exists from the task's start (at
 * zero), so rates and alerts see it before the first event. {@link #NONE} counts nothing, for
 * workers older than Kafka 4.1 and for tools outside Connect.
 */
public class SinkMetrics {
    /** Counts nothing. */
    public static final SinkMetrics NONE = new SinkMetrics();

    /** Names of the metrics as Connect registers them; the JMX exporter rules and tests use them. */
    public static final String ROTATIONS = "rotations-total";
    public static final String UPLOADS = "uploads-total";
    public static final String UPLOADED_BYTES = "uploaded-bytes-total";
    public static final String UPLOAD_FAILURES = "upload-failures-total";
    public static final String UPLOAD_TIME_TOTAL = "upload-time-ms-total";
    public static final String UPLOAD_TIME_AVG = "upload-time-ms-avg";
    public static final String UPLOAD_TIME_MAX = "upload-time-ms-max";
    public static final String SKIPPED_ON_RECOVERY = "records-skipped-on-recovery-total";
    public static final String OPEN_FILES = "open-files";
    public static final String BUFFERED_BYTES = "buffered-bytes";
    public static final String UNCOMMITTED_RECORDS = "uncommitted-records";
    public static final String BUILD_INFO = "build-info";

    private SinkMetrics() {
    }

    /** Metrics in the worker's registry, tagged with the plugin's version in {@value #BUILD_INFO}. */
    public static SinkMetrics of(PluginMetrics plugin, String version) {
        return new Registered(plugin, version);
    }

    /**
     * The task's state after each batch, served as gauges: open files, the heap they hold as
     * estimated for max.buffered.bytes.per.task, and the offsets received above the committed ones
     * (not yet in S3: the sink's committed lag). Set by the task thread and read by the metrics
     * reporter's, so the writer's maps are never read concurrently.
     */
    public void state(long openFiles, long bufferedBytes, long uncommittedRecords) {
    }

    /** A file closed for upload. */
    public void rotated(RotationReason reason) {
    }

    /** A file reached S3. */
    public void uploaded(long bytes, long millis) {
    }

    /** An upload round failed (it is retried; the partition pauses meanwhile). */
    public void uploadFailed() {
    }

    /** A record skipped after a takeover or redelivery: S3 already holds it. */
    public void skippedOnRecovery() {
    }

    private static final class Registered extends SinkMetrics {
        /**
         * Sensor names are global in the worker's registry (Metrics.sensor(name) returns an existing one),
         * so each task's sensors get a name of their own; with a shared name every task of every sink
         * connector on the worker would record into one sensor and report the worker's total as its own.
         */
        private static final AtomicLong INSTANCES = new AtomicLong();

        private final Map<RotationReason, Sensor> rotations = new EnumMap<>(RotationReason.class);
        private final Sensor uploads;
        private final Sensor uploadedBytes;
        private final Sensor failures;
        private final Sensor skipped;

        private volatile long openFiles;
        private volatile long bufferedBytes;
        private volatile long uncommitted;

        Registered(PluginMetrics plugin, String version) {
            String sensorPrefix = "tributary-s3-sink-" + INSTANCES.incrementAndGet() + "-";
            for (RotationReason reason : RotationReason.values()) {
                Sensor sensor = plugin.addSensor(sensorPrefix + "rotations-" + reason);
                sensor.add(plugin.metricName(ROTATIONS, "Files closed for upload, by rotation reason", tags("reason", reason.name())),
                        new CumulativeCount());
                rotations.put(reason, sensor);
            }
            uploads = plugin.addSensor(sensorPrefix + "uploads");
            uploads.add(plugin.metricName(UPLOADS, "Files uploaded to S3", tags()), new CumulativeCount());
            uploads.add(plugin.metricName(UPLOAD_TIME_TOTAL, "Time spent in uploads that succeeded, in ms", tags()),
                    new CumulativeSum());
            uploads.add(plugin.metricName(UPLOAD_TIME_AVG, "Average upload time in the last window, in ms", tags()), new Avg());
            uploads.add(plugin.metricName(UPLOAD_TIME_MAX, "Longest upload time in the last window, in ms", tags()), new Max());
            uploadedBytes = plugin.addSensor(sensorPrefix + "uploaded-bytes");
            uploadedBytes.add(plugin.metricName(UPLOADED_BYTES, "Bytes of the files uploaded to S3", tags()), new CumulativeSum());
            failures = plugin.addSensor(sensorPrefix + "upload-failures");
            failures.add(plugin.metricName(UPLOAD_FAILURES, "Upload rounds that failed and are retried", tags()),
                    new CumulativeCount());
            skipped = plugin.addSensor(sensorPrefix + "skipped-on-recovery");
            skipped.add(plugin.metricName(SKIPPED_ON_RECOVERY, "Records skipped because S3 already holds them "
                    + "(after a takeover or a redelivery)", tags()), new CumulativeCount());
            gauge(plugin, OPEN_FILES, "Open Parquet files of this task", () -> openFiles);
            gauge(plugin, BUFFERED_BYTES, "Estimated heap held by this task's open files", () -> bufferedBytes);
            gauge(plugin, UNCOMMITTED_RECORDS, "Offsets received above the committed ones: records not yet in S3",
                    () -> uncommitted);
            plugin.addMetric(plugin.metricName(BUILD_INFO, "The running build of the sink (always 1)", tags("version", version)),
                    (Gauge<Integer>) (config, now) -> 1);
        }

        private static void gauge(PluginMetrics plugin, String name, String description, LongSupplier value) {
            plugin.addMetric(plugin.metricName(name, description, tags()), (Gauge<Long>) (config, now) -> value.getAsLong());
        }

        private static LinkedHashMap<String, String> tags(String... keyValues) {
            LinkedHashMap<String, String> tags = new LinkedHashMap<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                tags.put(keyValues[i], keyValues[i + 1]);
            }
            return tags;
        }

        @Override
        public void state(long openFiles, long bufferedBytes, long uncommittedRecords) {
            this.openFiles = openFiles;
            this.bufferedBytes = bufferedBytes;
            this.uncommitted = uncommittedRecords;
        }

        @Override
        public void rotated(RotationReason reason) {
            rotations.get(reason).record();
        }

        @Override
        public void uploaded(long bytes, long millis) {
            uploads.record(millis);
            uploadedBytes.record(bytes);
        }

        @Override
        public void uploadFailed() {
            failures.record();
        }

        @Override
        public void skippedOnRecovery() {
            skipped.record();
        }
    }
}
