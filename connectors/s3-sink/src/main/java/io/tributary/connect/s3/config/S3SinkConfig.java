package io.tributary.connect.s3.config;

import io.tributary.schemas.lake.LakeNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every setting of the S3 Parquet sink. Key names follow Confluent's S3 sink where the meaning is
 * the same, so users know them. The config reference in docs/ is generated from {@link #CONFIG_DEF}.
 */
public final class S3SinkConfig extends AbstractConfig {
    private static final String GROUP_S3 = "S3";
    private static final String GROUP_FORMAT = "Format";
    private static final String GROUP_PARTITION = "Partitioning";
    private static final String GROUP_ROTATION = "Rotation";
    private static final String GROUP_LIMITS = "Memory and back-pressure";
    private static final String GROUP_FENCING = "Fencing";

    public static final String S3_BUCKET = "s3.bucket.name";
    public static final String S3_REGION = "s3.region";
    public static final String S3_ENDPOINT = "s3.endpoint";
    public static final String S3_PATH_STYLE = "s3.path.style.access.enabled";
    public static final String S3_PART_SIZE = "s3.part.size";
    public static final String S3_RETRIES = "s3.part.retries";
    public static final String S3_RETRY_BACKOFF_MS = "s3.retry.backoff.ms";
    public static final String S3_SSE_TYPE = "s3.sse.type";
    public static final String S3_SSE_KMS_KEY_ID = "s3.sse.kms.key.id";
    public static final String TOPICS_DIR = "topics.dir";
    public static final String TABLE_PREFIX_STRIP = "table.name.strip.prefix";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String PARQUET_CODEC = "parquet.codec";
    public static final String PARQUET_ROW_GROUP_BYTES = "parquet.row.group.bytes";
    public static final String PARQUET_PAGE_BYTES = "parquet.page.bytes";
    public static final String TIMEZONE = "timezone";
    public static final String TIMESTAMP_EXTRACTOR = "timestamp.extractor";
    public static final String TIMESTAMP_FIELD = "timestamp.field";
    public static final String FLUSH_SIZE = "flush.size";
    public static final String ROTATE_FILE_BYTES = "rotate.file.size.bytes";
    public static final String ROTATE_INTERVAL_MS = "rotate.interval.ms";
    public static final String ROTATE_SCHEDULE_INTERVAL_MS = "rotate.schedule.interval.ms";
    public static final String MAX_OPEN_FILES = "max.open.files.per.task";
    public static final String MAX_BUFFERED_BYTES = "max.buffered.bytes.per.task";
    public static final String LOCAL_BUFFER_DIR = "local.buffer.dir";
    public static final String S3_CONDITIONAL_WRITES = "s3.conditional.writes";
    public static final String KAFKA_BOOTSTRAP = "kafka.bootstrap.servers";
    /** Connect's connector name, which it passes to the connector and (through taskConfigs) to each task. */
    public static final String CONNECTOR_NAME = "name";
    public static final String CONSUMER_OVERRIDE_PREFIX = "consumer.override.";
    public static final String VALUE_CONVERTER = "value.converter";
    public static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

    public static final String SSE_KMS = "aws:kms";

    /** s3.conditional.writes: how zombie writers are fenced. */
    public enum ConditionalWrites { AUTO, REQUIRED, OFF }

    public static final List<String> CODECS = List.of("snappy", "zstd", "gzip", "uncompressed");

    public static final ConfigDef CONFIG_DEF = RawFormat.define(new ConfigDef()
            .define(S3_BUCKET, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "The bucket the lake is written to.", GROUP_S3, 1, Width.LONG, "Bucket")
            .define(S3_REGION, Type.STRING, "us-east-1", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "AWS region of the bucket.", GROUP_S3, 2, Width.SHORT, "Region")
            .define(S3_ENDPOINT, Type.STRING, "", Importance.MEDIUM,
                    "Endpoint override for S3-compatible servers (MinIO, s3proxy), e.g. http://127.0.0.1:19000. "
                            + "Empty: the AWS endpoint of the region. Credentials always come from the AWS default "
                            + "provider chain (environment, profile, container or instance role).",
                    GROUP_S3, 3, Width.LONG, "Endpoint")
            .define(S3_PATH_STYLE, Type.BOOLEAN, false, Importance.LOW,
                    "Use path-style requests (needed by most S3-compatible servers).", GROUP_S3, 4, Width.SHORT, "Path style")
            .define(S3_PART_SIZE, Type.INT, 25 * 1024 * 1024, Range.between(5 * 1024 * 1024, Integer.MAX_VALUE),
                    Importance.LOW, "Part size of multipart uploads, in bytes (S3 requires at least 5 MiB). "
                            + "Files up to this size are uploaded with one PUT.", GROUP_S3, 5, Width.SHORT, "Part size")
            .define(S3_RETRIES, Type.INT, 8, Range.between(0, 100), Importance.LOW,
                    "Retries of one S3 request on throttling, 5xx and network errors, with exponential backoff "
                            + "and full jitter.", GROUP_S3, 6, Width.SHORT, "Retries")
            .define(S3_RETRY_BACKOFF_MS, Type.LONG, 200L, Range.atLeast(1), Importance.LOW,
                    "Base delay of the retry backoff, in milliseconds.", GROUP_S3, 7, Width.SHORT, "Retry backoff")
            .define(S3_SSE_TYPE, Type.STRING, "", ValidString.in("", "AES256", SSE_KMS), Importance.LOW,
                    "Server-side encryption of written objects: empty (bucket default), AES256 or aws:kms.",
                    GROUP_S3, 8, Width.SHORT, "SSE type")
            .define(S3_SSE_KMS_KEY_ID, Type.STRING, "", Importance.LOW,
                    "KMS key id or ARN when s3.sse.type=aws:kms.", GROUP_S3, 9, Width.LONG, "KMS key")
            .define(TOPICS_DIR, Type.STRING, "", Importance.MEDIUM,
                    "Key prefix under which the table folders live; empty writes <table>/ at the bucket root.",
                    GROUP_PARTITION, 1, Width.MEDIUM, "Prefix")
            .define(TABLE_PREFIX_STRIP, Type.STRING, LakeNames.DEFAULT_TOPIC_PREFIX, Importance.MEDIUM,
                    "The table folder is the topic name without this prefix (lake.app_events -> app_events).",
                    GROUP_PARTITION, 2, Width.SHORT, "Topic prefix")
            .define(TIMEZONE, Type.STRING, "UTC", ValidString.in("UTC"), Importance.LOW,
                    "Time zone of the dt/hour partitions. Only UTC: Athena's date projection generates UTC values, "
                            + "and a local zone makes one hour fold into another on DST changes.",
                    GROUP_PARTITION, 3, Width.SHORT, "Time zone")
            .define(TIMESTAMP_EXTRACTOR, Type.STRING, "Record", ValidString.in("Record", "RecordField"), Importance.MEDIUM,
                    "Where a record's time comes from: Record (the Kafka record timestamp, which the streams app sets "
                            + "to the event time) or RecordField (timestamp.field of the value).",
                    GROUP_PARTITION, 4, Width.SHORT, "Time source")
            .define(TIMESTAMP_FIELD, Type.STRING, "", Importance.MEDIUM,
                    "Top-level field with the record time (timestamp-millis/micros or epoch millis) when "
                            + "timestamp.extractor=RecordField.", GROUP_PARTITION, 5, Width.SHORT, "Time field")
            .define(SCHEMA_REGISTRY_URL, Type.STRING, "", Importance.HIGH,
                    "Schema registry that resolves the Confluent-wire schema ids of record values; Parquet files get "
                            + "exactly the registered Avro schema. Required unless record.format=raw.",
                    GROUP_FORMAT, 1, Width.LONG, "Registry")
            .define(PARQUET_CODEC, Type.STRING, "snappy", ValidString.in(CODECS.toArray(String[]::new)), Importance.MEDIUM,
                    "Compression of Parquet pages.", GROUP_FORMAT, 2, Width.SHORT, "Codec")
            .define(PARQUET_ROW_GROUP_BYTES, Type.INT, 8 * 1024 * 1024, Range.atLeast(64 * 1024), Importance.LOW,
                    "Target row group size. Smaller than parquet-java's 128 MiB default so that many open files "
                            + "fit in a bounded heap.", GROUP_FORMAT, 3, Width.SHORT, "Row group")
            .define(PARQUET_PAGE_BYTES, Type.INT, 64 * 1024, Range.atLeast(8 * 1024), Importance.LOW,
                    "Target page size. Each open file holds buffers of about two pages, so small pages let "
                            + "hundreds of files stay open in a bounded heap.", GROUP_FORMAT, 4, Width.SHORT, "Page")
            .define(FLUSH_SIZE, Type.INT, 100_000, Range.atLeast(1), Importance.HIGH,
                    "Rotate a file after this many records.", GROUP_ROTATION, 1, Width.SHORT, "Records per file")
            .define(ROTATE_FILE_BYTES, Type.LONG, 128L * 1024 * 1024, Range.atLeast(1024), Importance.MEDIUM,
                    "Rotate a file once its estimated size reaches this many bytes.", GROUP_ROTATION, 2, Width.SHORT, "File size")
            .define(ROTATE_INTERVAL_MS, Type.LONG, -1L, Range.atLeast(-1), Importance.MEDIUM,
                    "Rotate a file when a record's time is this far past the file's first record time; -1 disables. "
                            + "Deterministic: a replay rotates at the same records.", GROUP_ROTATION, 3, Width.SHORT, "Record-time interval")
            .define(ROTATE_SCHEDULE_INTERVAL_MS, Type.LONG, -1L, Range.atLeast(-1), Importance.MEDIUM,
                    "Wall-clock flush: rotate files that have been open this long, also on a quiet topic, so rows "
                            + "reach S3 within this time; -1 disables. Exactly-once holds with it enabled (see README).",
                    GROUP_ROTATION, 4, Width.SHORT, "Freshness flush")
            .define(MAX_OPEN_FILES, Type.INT, 64, Range.atLeast(1), Importance.MEDIUM,
                    "Open files (one per table hour and partition) per task; opening one more closes the oldest first.",
                    GROUP_LIMITS, 1, Width.SHORT, "Open files")
            .define(MAX_BUFFERED_BYTES, Type.LONG, 256L * 1024 * 1024, Range.atLeast(1024 * 1024), Importance.MEDIUM,
                    "Estimated heap the open files of a task hold (unflushed row groups, dictionaries, page and "
                            + "compressor buffers; see the README's memory section). Above it, "
                            + "the open file holding the most is closed early (rotation reason MEMORY_LIMIT), so the heap "
                            + "stays bounded however many hours are open at once. Size the worker heap above "
                            + "tasks x this value.", GROUP_LIMITS, 2, Width.SHORT, "Buffered bytes")
            .define(LOCAL_BUFFER_DIR, Type.STRING, "", Importance.LOW,
                    "Directory where open and finished files wait for upload (empty: the worker's java.io.tmpdir); "
                            + "the worker needs disk "
                            + "for the open files plus those not yet uploaded. While S3 fails, the partitions whose "
                            + "files wait are paused (back-pressure) instead of buffering more.",
                    GROUP_LIMITS, 3, Width.LONG, "Local dir")
            .define(S3_CONDITIONAL_WRITES, Type.STRING, "auto", ValidString.in("auto", "required", "off"), Importance.MEDIUM,
                    "How a task that lost its partition to another (a zombie, after a rebalance or a long pause) is "
                            + "kept from writing it: with S3 conditional writes, data files are created with "
                            + "If-None-Match: * (never overwritten) and the partition marker is replaced with "
                            + "If-Match on its ETag, so a zombie's marker write fails and it stops. auto: probe the "
                            + "store once per task (three conditional PUTs of _tributary/probe/<connector>.json) and "
                            + "fall back to generation checks if it does not honour them; required: fail the task "
                            + "instead of falling back; off: generation checks only (the marker is re-read before "
                            + "and after each marker write and before each upload), which narrow but do not close "
                            + "a zombie's window (see the README).", GROUP_FENCING, 1, Width.SHORT, "Conditional writes")
            .define(KAFKA_BOOTSTRAP, Type.STRING, "", Importance.HIGH,
                    "Brokers of the topics this connector reads, usually the worker's bootstrap.servers (e.g. "
                            + "${env:TRIBUTARY_KAFKA_BOOTSTRAP}); empty: consumer.override.bootstrap.servers. Each task "
                            + "asks them for every assigned topic's id (Admin describeTopics), which its markers name "
                            + "so that a marker of a deleted and recreated topic, or of another cluster, is never used "
                            + "to skip records. A connector does not see the worker's own client settings: the "
                            + "admin-client settings among the connector's consumer.override.* (security.protocol, "
                            + "sasl.*, ssl.*, ...) are applied to this client too.",
                    GROUP_FENCING, 2, Width.LONG, "Kafka brokers"));

    /** A problem that spans several keys, reported against {@code key}. */
    public record Problem(String key, String message) {
    }

    /** Parses and checks every key, including the cross-field rules; throws naming the keys. */
    public S3SinkConfig(Map<String, String> props) {
        this(props, true);
    }

    private S3SinkConfig(Map<String, String> props, boolean checkCrossField) {
        super(CONFIG_DEF, props);
        List<Problem> problems = checkCrossField ? crossFieldProblems() : List.of();
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems.stream().map(Problem::message).toList()));
        }
    }

    /**
     * The problems of a connector's props whose single keys are all valid ({@code Connector.validate}
     * and {@code start}): the cross-field rules, plus the brokers a connector's tasks need for topic
     * ids (tools that run the writer outside Connect have no topics to look up).
     */
    public static List<Problem> connectorProblems(Map<String, String> props) {
        S3SinkConfig config = new S3SinkConfig(props, false);
        List<Problem> problems = config.crossFieldProblems();
        if (config.kafkaBootstrapServers().isBlank()) {
            problems.add(new Problem(KAFKA_BOOTSTRAP, KAFKA_BOOTSTRAP + " is empty and no " + CONSUMER_OVERRIDE_PREFIX
                    + "bootstrap.servers is set: the tasks need the brokers to read each topic's id for the partition "
                    + "markers; set it to the worker's bootstrap.servers"));
        }
        return problems;
    }

    private List<Problem> crossFieldProblems() {
        List<Problem> problems = new ArrayList<>();
        if (!RawFormat.isRaw(this) && schemaRegistryUrl().isBlank()) {
            problems.add(new Problem(SCHEMA_REGISTRY_URL, SCHEMA_REGISTRY_URL + " is required to read Avro lake rows ("
                    + RawFormat.RECORD_FORMAT + "=avro)"));
        }
        RawFormat.addProblems(this, problems);
        if (usesRecordField() && timestampField().isBlank()) {
            problems.add(new Problem(TIMESTAMP_FIELD,
                    TIMESTAMP_EXTRACTOR + "=RecordField needs " + TIMESTAMP_FIELD + " to name the time field"));
        }
        if (SSE_KMS.equals(sseType()) && sseKmsKeyId().isBlank()) {
            problems.add(new Problem(S3_SSE_KMS_KEY_ID, S3_SSE_TYPE + "=aws:kms needs " + S3_SSE_KMS_KEY_ID));
        }
        if (!sseKmsKeyId().isBlank() && !SSE_KMS.equals(sseType())) {
            problems.add(new Problem(S3_SSE_KMS_KEY_ID, S3_SSE_KMS_KEY_ID + " is set but " + S3_SSE_TYPE + " is not aws:kms"));
        }
        if (maxBufferedBytes() < rowGroupBytes()) {
            problems.add(new Problem(MAX_BUFFERED_BYTES, MAX_BUFFERED_BYTES + " (" + maxBufferedBytes()
                    + ") must be at least " + PARQUET_ROW_GROUP_BYTES + " (" + rowGroupBytes() + ")"));
        }
        Object converter = originals().get(VALUE_CONVERTER);
        if (converter != null && !BYTE_ARRAY_CONVERTER.equals(converter.toString())) {
            problems.add(new Problem(SCHEMA_REGISTRY_URL, VALUE_CONVERTER + " is " + converter + "; this sink reads "
                    + "Confluent-wire Avro bytes and needs " + VALUE_CONVERTER + "=" + BYTE_ARRAY_CONVERTER));
        }
        return problems;
    }

    public String bucket() {
        return getString(S3_BUCKET);
    }

    public String region() {
        return getString(S3_REGION);
    }

    public String endpoint() {
        return getString(S3_ENDPOINT);
    }

    public boolean pathStyle() {
        return getBoolean(S3_PATH_STYLE);
    }

    public int partSize() {
        return getInt(S3_PART_SIZE);
    }

    public int retries() {
        return getInt(S3_RETRIES);
    }

    public long retryBackoffMs() {
        return getLong(S3_RETRY_BACKOFF_MS);
    }

    public String sseType() {
        return getString(S3_SSE_TYPE);
    }

    public String sseKmsKeyId() {
        return getString(S3_SSE_KMS_KEY_ID);
    }

    public String topicsDir() {
        return getString(TOPICS_DIR);
    }

    public String tableFor(String topic) {
        String strip = getString(TABLE_PREFIX_STRIP);
        return !strip.isEmpty() && topic.startsWith(strip) ? topic.substring(strip.length()) : topic;
    }

    /** record.format=raw: records are archived as they are (the raw archive), not read as Avro lake rows. */
    public boolean rawFormat() {
        return RawFormat.isRaw(this);
    }

    /** record.format=raw: how the lake time of a record of {@code topic} is read. */
    public io.tributary.schemas.time.RawTime rawTimeOf(String topic) {
        return RawFormat.timeOf(this, topic);
    }

    public String schemaRegistryUrl() {
        return getString(SCHEMA_REGISTRY_URL);
    }

    public String codec() {
        return getString(PARQUET_CODEC).toLowerCase(Locale.ROOT);
    }

    public int rowGroupBytes() {
        return getInt(PARQUET_ROW_GROUP_BYTES);
    }

    public int pageBytes() {
        return getInt(PARQUET_PAGE_BYTES);
    }

    public boolean usesRecordField() {
        return "RecordField".equals(getString(TIMESTAMP_EXTRACTOR));
    }

    public String timestampField() {
        return getString(TIMESTAMP_FIELD);
    }

    public int flushSize() {
        return getInt(FLUSH_SIZE);
    }

    public long rotateFileBytes() {
        return getLong(ROTATE_FILE_BYTES);
    }

    public long rotateIntervalMs() {
        return getLong(ROTATE_INTERVAL_MS);
    }

    public long rotateScheduleIntervalMs() {
        return getLong(ROTATE_SCHEDULE_INTERVAL_MS);
    }

    public int maxOpenFiles() {
        return getInt(MAX_OPEN_FILES);
    }

    public long maxBufferedBytes() {
        return getLong(MAX_BUFFERED_BYTES);
    }

    public ConditionalWrites conditionalWrites() {
        return ConditionalWrites.valueOf(getString(S3_CONDITIONAL_WRITES).toUpperCase(Locale.ROOT));
    }

    /** kafka.bootstrap.servers, or the consumer's bootstrap override when that is empty. */
    public String kafkaBootstrapServers() {
        String brokers = getString(KAFKA_BOOTSTRAP);
        Object override = originals().get(CONSUMER_OVERRIDE_PREFIX + "bootstrap.servers");
        return !brokers.isBlank() || override == null ? brokers : override.toString();
    }

    /** The connector's name as Connect passes it; empty for tools that run the writer outside Connect. */
    public String connectorName() {
        Object name = originals().get(CONNECTOR_NAME);
        return name == null ? "" : name.toString();
    }

    /** The connector's consumer.override.* settings, without the prefix (Connect has already resolved their variables). */
    public Map<String, String> consumerOverrides() {
        Map<String, String> overrides = new HashMap<>();
        originalsWithPrefix(CONSUMER_OVERRIDE_PREFIX).forEach((k, v) -> overrides.put(k, String.valueOf(v)));
        return overrides;
    }

    public String localBufferDir() {
        String dir = getString(LOCAL_BUFFER_DIR);
        return dir.isBlank() ? System.getProperty("java.io.tmpdir") : dir;
    }
}
