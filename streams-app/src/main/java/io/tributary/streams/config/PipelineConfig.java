package io.tributary.streams.config;

import io.tributary.schemas.config.ConfigFiles;
import io.tributary.schemas.lake.LakeNames;
import io.tributary.schemas.lake.LakeTimeRange;
import io.tributary.schemas.registry.RegistryClientConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Configuration of the streams app: a properties file plus environment overrides
 * ({@code TRIBUTARY_<KEY>} with dots and dashes as underscores, e.g. TRIBUTARY_BOOTSTRAP_SERVERS),
 * validated at start with errors that name the key. Keys prefixed {@code streams.} pass through
 * to Kafka Streams.
 */
public final class PipelineConfig extends AbstractConfig {
    public static final String APPLICATION_ID = "application.id";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String STATE_DIR = "state.dir";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String EVENTS_TOPIC = "events.topic";
    public static final String EVENTS_TABLE = "events.table";
    public static final String EVENTS_TIME_FIELD = "events.time.field";
    public static final String EVENTS_KEY_FIELD = "events.key.field";
    public static final String EVENTS_MAX_FUTURE_MS = "events.max.future.ms";
    public static final String EVENTS_MIN_TIME = "events.min.time";
    public static final String EVENTS_MAX_BYTES = "events.max.bytes";
    public static final String EVENTS_MAX_FIELDS = "events.max.fields";
    public static final String EVENTS_MAX_NAME_LENGTH = "events.max.name.length";
    public static final String LAKE_MAX_ROW_BYTES = "lake.max.row.bytes";
    public static final String DLQ_MAX_ORIGINAL_BYTES = "dlq.max.original.bytes";
    public static final String CDC_TOPICS = "cdc.topics";
    public static final String CDC_SCHEMA_CHANGE_POLICY = "cdc.schema.change.policy";
    public static final String LAKE_TOPIC_PREFIX = "lake.topic.prefix";
    public static final String LAKE_VALUE_SERDE = "lake.value.serde";
    public static final String DLQ_TOPIC = "dlq.topic";
    public static final String OUTPUT_PARTITIONS = "output.topic.partitions";
    public static final String SOURCE_WAIT_MS = "source.topics.wait.ms";
    public static final String OUTPUT_REPLICATION = "output.topic.replication.factor";
    public static final String LOOKUPS = "enrichment.lookups";
    public static final String HISTORY_RETENTION_MS = "enrichment.history.retention.ms";
    public static final String PII_DROP = "pii.drop";
    public static final String PII_HASH = "pii.hash";
    public static final String PII_SALT = "pii.salt";
    public static final String CDC_PII_DROP = "cdc.pii.drop";
    public static final String CDC_PII_HASH = "cdc.pii.hash";
    public static final String METRICS_PORT = "metrics.port";
    public static final String STREAMS_PREFIX = "streams.";
    public static final String POLICY_DEAD_LETTER = "dead-letter";
    public static final String POLICY_HALT = "halt";

    public static final ConfigDef CONFIG_DEF = DashboardSettings.define(ServiceSecurity.define(new ConfigDef())
            .define(APPLICATION_ID, Type.STRING, "tributary-pipeline", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Kafka Streams application id: consumer group, prefix of internal topics and state.")
            .define(BOOTSTRAP_SERVERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "Kafka bootstrap servers.")
            .define(SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Confluent-compatible schema registry of the lake topics' Avro schemas.")
            .define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                    ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), Importance.MEDIUM,
                    "exactly_once_v2 (default): every input record is reflected in the lake topics exactly once.")
            .define(STATE_DIR, Type.STRING, System.getProperty("java.io.tmpdir") + "/tributary-streams", Importance.MEDIUM,
                    "Local state (the master history stores); rebuilt from changelog topics if lost.")
            .define(COMMIT_INTERVAL_MS, Type.LONG, 1000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "How often both apps commit (with exactly_once_v2, their transactions): lake rows become visible to "
                    + "read_committed readers such as the S3 sink at each commit. Kafka Streams' own exactly-once default "
                    + "is 100 ms; 1 s makes a tenth of the transactions (each writes a marker to every partition it "
                    + "wrote) for at most 0.9 s more latency, small against the sink's 10 s flush. On the 2-core bench "
                    + "the events rate was within noise of 100 ms (BENCHMARKS.md).")
            .define(EVENTS_TOPIC, Type.STRING, "app.events", Importance.HIGH, "Topic of the applications' JSON events.")
            .define(EVENTS_TABLE, Type.STRING, "app_events", Importance.MEDIUM, "Lake table (and contract) of the events.")
            .define(EVENTS_TIME_FIELD, Type.STRING, "event_time", Importance.HIGH,
                    "Flattened event field with the event time (ISO-8601 with an offset, or epoch milliseconds); it becomes "
                            + "the record timestamp and the dt/hour partition.")
            .define(EVENTS_KEY_FIELD, Type.STRING, "user_id", Importance.MEDIUM,
                    "Flattened event field that keys the lake topic, so one entity's events stay in one partition.")
            .define(EVENTS_MAX_FUTURE_MS, Type.LONG, Duration.ofHours(1).toMillis(), Range.atLeast(0), Importance.MEDIUM,
                    "Events whose time is further ahead of the wall clock are dead-lettered (a producer's clock is "
                            + "wrong). Keep it at most the brokers' log.message.timestamp.after.max.ms (1 hour by "
                            + "default in Kafka 4), which would otherwise reject the rows.")
            .define(EVENTS_MIN_TIME, Type.STRING, LakeTimeRange.DEFAULT_START, new MinTime(), Importance.MEDIUM,
                    "The earliest event date accepted (UTC): events before it are dead-lettered, with a hint when the time "
                            + "looks like epoch seconds. Athena's partition projection starts at the same date (tributary athena "
                            + "ddl reads TRIBUTARY_EVENTS_MIN_TIME too), so every accepted row is in a partition queries see. "
                            + "Pre-1970 times, 0 and times in seconds all fall before it.")
            .define(EVENTS_MAX_BYTES, Type.INT, 1_000_000, Range.atLeast(1), Importance.MEDIUM,
                    "Events larger than this many bytes are dead-lettered unparsed (stage limit).")
            .define(EVENTS_MAX_FIELDS, Type.INT, 1000, Range.atLeast(1), Importance.MEDIUM,
                    "Events with more leaves than this (flattened columns and extra entries together) are dead-lettered "
                            + "(stage limit): a row of thousands of columns is almost always a map sent as an object.")
            .define(EVENTS_MAX_NAME_LENGTH, Type.INT, 255, Range.atLeast(1), Importance.MEDIUM,
                    "Events with a flattened field name longer than this are dead-lettered (stage limit), as soon as the "
                            + "name is read: long key paths multiply into long names. 255 is Athena's and Glue's column name limit.")
            .define(CDC_TOPICS, Type.LIST, "", Importance.HIGH,
                    "Debezium topics (JSON with schemas) whose tables become lake changelog tables.")
            .define(CDC_SCHEMA_CHANGE_POLICY, Type.STRING, POLICY_DEAD_LETTER, ValidString.in(POLICY_DEAD_LETTER, POLICY_HALT),
                    Importance.MEDIUM, "What an incompatible source schema change (column dropped, renamed or narrowed) "
                            + "does: dead-letter the change events, or halt the app.")
            .define(LAKE_TOPIC_PREFIX, Type.STRING, LakeNames.DEFAULT_TOPIC_PREFIX, Importance.MEDIUM, "Lake topic of table T is <prefix>T.")
            .define(LAKE_VALUE_SERDE, Type.CLASS, io.tributary.schemas.serde.AvroSerde.class, Importance.LOW,
                    "Serde of lake values: Tributary's Confluent-wire Avro serde, or Confluent's GenericAvroSerde.")
            .define(LAKE_MAX_ROW_BYTES, Type.INT, 1_000_000, Range.atLeast(1), Importance.MEDIUM,
                    "Lake rows larger than this many bytes (Avro) are dead-lettered with their input (stage produce) instead "
                            + "of being sent. Keep it below the producer's max.request.size and the lake topics' "
                            + "max.message.bytes (both about 1 MiB by default).")
            .define(DLQ_TOPIC, Type.STRING, "tributary.dlq", Importance.HIGH,
                    "Dead-letter topic: original bytes of records that failed, with headers saying why and where.")
            .define(DLQ_MAX_ORIGINAL_BYTES, Type.INT, 1_000_000, Range.atLeast(0), Importance.LOW,
                    "Dead-letter records carry the original bytes up to this size; a larger original is left out (header "
                            + "tributary.dlq.original.omitted says so) and stays in its source topic at the offset the headers "
                            + "name. Keep it below the dead-letter topic's max.message.bytes.")
            .define(SOURCE_WAIT_MS, Type.LONG, Duration.ofMinutes(5).toMillis(), Range.atLeast(0), Importance.LOW,
                    "How long the app waits at start for its source topics (created by the applications and the "
                            + "Debezium connectors) before it gives up, naming the missing ones.")
            .define(OUTPUT_PARTITIONS, Type.INT, 3, Range.atLeast(1), Importance.MEDIUM,
                    "Partitions of the lake and dead-letter topics the app creates at start when they are missing.")
            .define(OUTPUT_REPLICATION, Type.SHORT, (short) -1, Importance.MEDIUM,
                    "Replication factor of the topics the app creates; -1 uses the broker's default.")
            .define(LOOKUPS, Type.LIST, "", Importance.MEDIUM,
                    "Enrichment lookups by name; each needs enrichment.<name>.event.field, .table, .key.column and "
                            + ".columns (master_column:event_field,...).")
            .define(HISTORY_RETENTION_MS, Type.LONG, Duration.ofDays(30).toMillis(), Range.atLeast(60_000), Importance.MEDIUM,
                    "How far back master history is kept for as-of lookups. Events (and replays) older than this "
                            + "behind the newest master change get the current master instead of the historic one; "
                            + "keep it at least the replay horizon and at most the master topics' retention.")
            .define(PII_DROP, Type.LIST, "", Importance.HIGH, "Flattened fields removed (set null) before the lake.")
            .define(PII_HASH, Type.LIST, "", Importance.HIGH,
                    "Flattened fields replaced by hex HMAC-SHA-256 of the value keyed with pii.salt before the lake.")
            .define(CDC_PII_DROP, Type.LIST, "", Importance.HIGH,
                    "CDC columns removed (set null) before the lake and before enrichment copies them: table.column, or "
                            + "*.column for every table; a column added to the source table later is covered too.")
            .define(CDC_PII_HASH, Type.LIST, "", Importance.HIGH,
                    "CDC string columns replaced by hex HMAC-SHA-256 of the value keyed with pii.salt (table.column or "
                            + "*.column); a non-string column added later is dropped instead.")
            .define(PII_SALT, Type.PASSWORD, "", Importance.HIGH,
                    "Key of the PII hash (HMAC-SHA-256); set it through TRIBUTARY_PII_SALT, never in a file in the repository. "
                            + "Changing it changes every hash.")
            .define(METRICS_PORT, Type.INT, 18090, Range.between(0, 65535), Importance.LOW,
                    "Port of /metrics (Prometheus) and /health; 0 disables the endpoint (address and auth: metrics.bind.address, "
                            + "metrics.auth.*)."));

    /** Kafka Streams settings Tributary sets itself: its exception handlers, which send failed records to dlq.topic. */
    private static final List<String> HANDLER_KEYS = List.of(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
            StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG);

    private final List<Lookup> lookups;
    private final DashboardSettings dashboards;

    public PipelineConfig(Map<String, ?> props) {
        super(CONFIG_DEF, props);
        for (String own : List.of(APPLICATION_ID, BOOTSTRAP_SERVERS, PROCESSING_GUARANTEE, STATE_DIR, COMMIT_INTERVAL_MS)) {
            if (originals().containsKey(STREAMS_PREFIX + own)) {
                throw new ConfigException(STREAMS_PREFIX + own, originals().get(STREAMS_PREFIX + own),
                        "Tributary sets this Kafka Streams setting from its own key: set " + own + " instead");
            }
        }
        for (String owned : HANDLER_KEYS) {
            if (originals().containsKey(STREAMS_PREFIX + owned)) {
                throw new ConfigException(STREAMS_PREFIX + owned, originals().get(STREAMS_PREFIX + owned),
                        "Tributary sets this Kafka Streams setting itself: its handlers send failed records to " + DLQ_TOPIC);
            }
        }
        ServiceSecurity.validate(this);
        this.lookups = parseLookups();
        this.dashboards = DashboardSettings.parse(this);
        for (String hashing : List.of(PII_HASH, CDC_PII_HASH)) {
            if (!getList(hashing).isEmpty() && getPassword(PII_SALT).value().isEmpty()) {
                throw new ConfigException(PII_SALT, "(empty)", hashing + " is set, so a salt is required: set TRIBUTARY_PII_SALT");
            }
        }
    }

    /** Reads a properties file (optional) and applies TRIBUTARY_* environment overrides. */
    public static PipelineConfig load(Path file, Map<String, String> env) throws IOException {
        return new PipelineConfig(ConfigFiles.load(file, env, CONFIG_DEF.names()));
    }

    /** The environment variable that overrides a key (see {@link ConfigFiles#envName}). */
    public static String envName(String key) {
        return ConfigFiles.envName(key);
    }

    private List<Lookup> parseLookups() {
        List<Lookup> out = new java.util.ArrayList<>();
        for (String name : getList(LOOKUPS)) {
            String prefix = "enrichment." + name + ".";
            Map<String, String> columns = new LinkedHashMap<>();
            for (String pair : required(prefix + "columns").split(",")) {
                String[] parts = pair.trim().split(":");
                if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                    throw new ConfigException(prefix + "columns", pair, "expected master_column:event_field");
                }
                columns.put(parts[0].trim(), parts[1].trim());
            }
            out.add(new Lookup(name, required(prefix + "event.field"), required(prefix + "table"),
                    required(prefix + "key.column"), columns));
        }
        return List.copyOf(out);
    }

    private String required(String key) {
        Object v = originals().get(key);
        if (v == null || v.toString().isBlank()) {
            throw new ConfigException(key, v, "required by " + LOOKUPS + "; see the README's configuration reference");
        }
        return v.toString().trim();
    }

    /** Kafka Streams properties: the app's own plus every {@code streams.*} key with the prefix removed. */
    public Map<String, Object> streamsProperties() {
        Map<String, Object> p = new HashMap<>(originalsWithPrefix(STREAMS_PREFIX));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, getString(APPLICATION_ID));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", getList(BOOTSTRAP_SERVERS)));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, getString(PROCESSING_GUARANTEE));
        p.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, getLong(COMMIT_INTERVAL_MS));
        return p;
    }

    public String registryUrl() {
        return getString(SCHEMA_REGISTRY_URL);
    }

    /** The schema registry client's settings: its URL, basic auth and TLS stores, for the serde and the registry client. */
    public Map<String, String> registryConfigs() {
        return RegistryClientConfig.select(values());
    }

    /** The settings of one of the app's own admin clients: Kafka Streams' admin settings, security included. */
    public Map<String, Object> adminConfigs(String clientId) {
        return ServiceSecurity.adminConfigs(this, clientId);
    }

    public String eventsTopic() {
        return getString(EVENTS_TOPIC);
    }

    public String eventsTable() {
        return getString(EVENTS_TABLE);
    }

    public String eventTimeField() {
        return getString(EVENTS_TIME_FIELD);
    }

    public String eventKeyField() {
        return getString(EVENTS_KEY_FIELD);
    }

    public long maxFutureMs() {
        return getLong(EVENTS_MAX_FUTURE_MS);
    }

    /** The first accepted event time: the start (UTC) of the events.min.time date. */
    public long minEventTimeMs() {
        return LocalDate.parse(getString(EVENTS_MIN_TIME)).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    public int maxEventBytes() {
        return getInt(EVENTS_MAX_BYTES);
    }

    public int maxEventFields() {
        return getInt(EVENTS_MAX_FIELDS);
    }

    public int maxNameLength() {
        return getInt(EVENTS_MAX_NAME_LENGTH);
    }

    public int maxRowBytes() {
        return getInt(LAKE_MAX_ROW_BYTES);
    }

    public int dlqMaxOriginalBytes() {
        return getInt(DLQ_MAX_ORIGINAL_BYTES);
    }

    public List<String> cdcTopics() {
        return getList(CDC_TOPICS);
    }

    public boolean haltOnIncompatibleSchemaChange() {
        return POLICY_HALT.equals(getString(CDC_SCHEMA_CHANGE_POLICY));
    }

    public String lakeTopicPrefix() {
        return getString(LAKE_TOPIC_PREFIX);
    }

    public Class<?> lakeValueSerde() {
        return getClass(LAKE_VALUE_SERDE);
    }

    public String dlqTopic() {
        return getString(DLQ_TOPIC);
    }

    public Duration sourceTopicsWait() {
        return Duration.ofMillis(getLong(SOURCE_WAIT_MS));
    }

    public int outputPartitions() {
        return getInt(OUTPUT_PARTITIONS);
    }

    public short outputReplication() {
        return getShort(OUTPUT_REPLICATION);
    }

    public List<Lookup> lookups() {
        return lookups;
    }

    /** The live aggregates for dashboards, as declared (PipelinePlan checks them against the contracts). */
    public DashboardSettings dashboards() {
        return dashboards;
    }

    public Duration historyRetention() {
        return Duration.ofMillis(getLong(HISTORY_RETENTION_MS));
    }

    public List<String> piiDrop() {
        return getList(PII_DROP);
    }

    public List<String> piiHash() {
        return getList(PII_HASH);
    }

    public List<String> cdcPiiDrop() {
        return getList(CDC_PII_DROP);
    }

    public List<String> cdcPiiHash() {
        return getList(CDC_PII_HASH);
    }

    public Password piiSalt() {
        return getPassword(PII_SALT);
    }

    public int metricsPort() {
        return getInt(METRICS_PORT);
    }

    /** events.min.time: an ISO date (yyyy-MM-dd) from 1970-01-01 on; Kafka record timestamps cannot be earlier. */
    private static final class MinTime implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                if (LocalDate.parse(String.valueOf(value)).isBefore(LocalDate.EPOCH)) {
                    throw new ConfigException(name, value, "must be 1970-01-01 or later: Kafka cannot hold earlier times");
                }
            } catch (DateTimeParseException e) {
                throw new ConfigException(name, value, "expected an ISO date, yyyy-MM-dd");
            }
        }

        @Override
        public String toString() {
            return "ISO date yyyy-MM-dd, 1970-01-01 or later";
        }
    }
}
