package io.tributary.streams.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The live aggregates for dashboards in the pipeline's configuration: the {@code dashboards.*} keys
 * of {@link PipelineConfig}, and {@code dashboards.aggregate.<name>.*} per aggregate, the way
 * {@code enrichment.<name>.*} declares lookups. Parsing checks the syntax; {@code PipelinePlan}
 * checks the aggregates against the contracts.
 *
 * @param aggregates       the declared aggregates, in the order listed
 * @param displayZone      the zone dashboards show times in, and the buckets' default zone
 * @param topicPrefix      topic of aggregate A is {@code <prefix>A}
 * @param commitIntervalMs how often the aggregates app commits: what a reader waits for at most
 * @param emitIntervalMs   how often changed aggregate rows are sent on
 * @param nullLabel        the group value of rows whose group column is null (a key column cannot be)
 * @param retentionMs      how long aggregate rows stay in their topics, by bucket start
 */
public record DashboardSettings(List<Aggregate> aggregates, ZoneId displayZone, String topicPrefix, long commitIntervalMs,
        long emitIntervalMs, String nullLabel, long retentionMs) {
    public static final String AGGREGATES = "dashboards.aggregates";
    public static final String DISPLAY_ZONE = "dashboards.display.zone";
    public static final String TOPIC_PREFIX = "dashboards.topic.prefix";
    public static final String COMMIT_INTERVAL_MS = "dashboards.commit.interval.ms";
    public static final String EMIT_INTERVAL_MS = "dashboards.emit.interval.ms";
    public static final String NULL_LABEL = "dashboards.null.label";
    public static final String RETENTION_MS = "dashboards.retention.ms";
    public static final String AGGREGATE_PREFIX = "dashboards.aggregate.";
    /** The settings of one aggregate, after {@code dashboards.aggregate.<name>.}. */
    static final List<String> AGGREGATE_SETTINGS = List.of("table", "bucket", "zone", "time.column", "id.column",
            "group.by", "measures", "grace.ms");
    public static final long DEFAULT_GRACE_MS = Duration.ofHours(1).toMillis();

    public DashboardSettings {
        aggregates = List.copyOf(aggregates);
    }

    /** Adds the {@code dashboards.*} keys to the pipeline's ConfigDef. */
    static ConfigDef define(ConfigDef def) {
        return def
                .define(AGGREGATES, Type.LIST, "", Importance.MEDIUM,
                        "Live aggregates for dashboards by name (the shipped configuration declares the seed charts); each "
                                + "is configured by dashboards.aggregate.<name>.table (a lake table: the events table or a CDC "
                                + "table), .bucket (minute, hour or day), .zone (default dashboards.display.zone), .group.by "
                                + "(columns), .measures (count, sum(c), min(c), max(c), approx_distinct(c), each optionally "
                                + ":name), .time.column (required for CDC tables; events use their event time), .id.column "
                                + "(events: default event_id, so a replayed event counts once) and .grace.ms (events: how "
                                + "late an event may be and still update its bucket, default 1 hour). Empty: no aggregates app.")
                .define(DISPLAY_ZONE, Type.STRING, "UTC", new Zone(), Importance.MEDIUM,
                        "Time zone of the buckets' calendar unless an aggregate sets its own, and of the dashboard labels "
                                + "(e.g. Asia/Tokyo: a Japanese business day is not a UTC day).")
                .define(TOPIC_PREFIX, Type.STRING, "dash.", Importance.LOW,
                        "Aggregate A is written to the compacted topic <prefix>A, whose JDBC sink table is <prefix>A with dots "
                                + "as underscores (dash_A).")
                .define(COMMIT_INTERVAL_MS, Type.LONG, 100L, Range.atLeast(0), Importance.MEDIUM,
                        "How often the aggregates app (application.id + -dash) commits: under exactly_once_v2 its rows "
                                + "become visible to dashboards and the JDBC sink at each commit, so this bounds their staleness.")
                .define(EMIT_INTERVAL_MS, Type.LONG, 100L, Range.atLeast(1), Importance.LOW,
                        "How often the changed aggregate rows of event tables are sent on (each as its absolute values).")
                .define(NULL_LABEL, Type.STRING, "(none)", new ConfigDef.NonEmptyString(), Importance.LOW,
                        "Group value of rows whose group-by column is null: key columns of the database table cannot be NULL.")
                .define(RETENTION_MS, Type.LONG, Duration.ofDays(35).toMillis(), Range.atLeast(Duration.ofHours(1).toMillis()),
                        Importance.LOW, "How long aggregate rows stay in their topics (by bucket start); the database keeps them.");
    }

    /** The aggregates and dashboard settings of a configuration; syntax errors name the key. */
    static DashboardSettings parse(PipelineConfig config) {
        ZoneId displayZone = ZoneId.of(config.getString(DISPLAY_ZONE));
        List<String> names = config.getList(AGGREGATES);
        Set<String> unique = new HashSet<>();
        List<Aggregate> aggregates = new ArrayList<>();
        for (String name : names) {
            if (!Measure.IDENTIFIER.matcher(name).matches() || !unique.add(name)) {
                throw new ConfigException(AGGREGATES, names, "aggregate names must be unique lower-case SQL identifiers "
                        + "([a-z_][a-z0-9_]*): '" + name + "' is not");
            }
            aggregates.add(aggregate(config.originals(), name, displayZone));
        }
        requireKnownKeys(config.originals(), unique);
        return new DashboardSettings(aggregates, displayZone, config.getString(TOPIC_PREFIX), config.getLong(COMMIT_INTERVAL_MS),
                config.getLong(EMIT_INTERVAL_MS), config.getString(NULL_LABEL), config.getLong(RETENTION_MS));
    }

    public String topic(Aggregate aggregate) {
        return topicPrefix + aggregate.name();
    }

    /** The aggregates over a table. */
    public List<Aggregate> over(String table) {
        return aggregates.stream().filter(a -> a.table().equals(table)).toList();
    }

    private static Aggregate aggregate(Map<String, Object> props, String name, ZoneId displayZone) {
        String prefix = AGGREGATE_PREFIX + name + ".";
        String table = text(props, prefix + "table", null);
        if (table == null) {
            throw new ConfigException(prefix + "table", null, "required by " + AGGREGATES + ": the lake table to aggregate");
        }
        String bucketText = text(props, prefix + "bucket", "");
        ChronoUnit bucket = switch (bucketText.toLowerCase(Locale.ROOT)) {
            case "minute" -> ChronoUnit.MINUTES;
            case "hour" -> ChronoUnit.HOURS;
            case "day" -> ChronoUnit.DAYS;
            default -> throw new ConfigException(prefix + "bucket", bucketText, "expected minute, hour or day");
        };
        ZoneId zone = displayZone;
        String zoneText = text(props, prefix + "zone", null);
        if (zoneText != null) {
            new Zone().ensureValid(prefix + "zone", zoneText);
            zone = ZoneId.of(zoneText);
        }
        List<Measure> measures = new ArrayList<>();
        Set<String> measureNames = new HashSet<>();
        for (String m : list(text(props, prefix + "measures", "count"))) {
            Measure measure = Measure.parse(prefix + "measures", m);
            if (!measureNames.add(measure.name())) {
                throw new ConfigException(prefix + "measures", m, "two measures are named " + measure.name() + "; name one with :other_name");
            }
            measures.add(measure);
        }
        if (measures.isEmpty()) {
            throw new ConfigException(prefix + "measures", "", "name at least one measure, e.g. count");
        }
        long grace;
        String graceText = text(props, prefix + "grace.ms", null);
        try {
            grace = graceText == null ? -1 : Long.parseLong(graceText);
        } catch (NumberFormatException e) {
            throw new ConfigException(prefix + "grace.ms", graceText, "expected milliseconds (a whole number)");
        }
        if (graceText != null && grace < 0) {
            throw new ConfigException(prefix + "grace.ms", graceText, "must be 0 or more");
        }
        return new Aggregate(name, table, bucket, zone, text(props, prefix + "time.column", null),
                text(props, prefix + "id.column", null), list(text(props, prefix + "group.by", "")), measures, grace);
    }

    /** A key under dashboards.aggregate. that nothing reads is a typo or a forgotten entry of dashboards.aggregates. */
    private static void requireKnownKeys(Map<String, Object> props, Set<String> names) {
        for (String key : props.keySet()) {
            if (!key.startsWith(AGGREGATE_PREFIX)) {
                continue;
            }
            String rest = key.substring(AGGREGATE_PREFIX.length());
            int dot = rest.indexOf('.');
            String name = dot < 0 ? rest : rest.substring(0, dot);
            if (!names.contains(name)) {
                throw new ConfigException(key, props.get(key), "aggregate '" + name + "' is not listed in " + AGGREGATES);
            }
            if (dot < 0 || !AGGREGATE_SETTINGS.contains(rest.substring(dot + 1))) {
                throw new ConfigException(key, props.get(key), "unknown setting; an aggregate has " + AGGREGATE_SETTINGS);
            }
        }
    }

    private static String text(Map<String, Object> props, String key, String fallback) {
        Object v = props.get(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString().trim();
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A time zone id java.time knows (Asia/Tokyo, UTC, +09:00). */
    private static final class Zone implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                ZoneId.of(String.valueOf(value));
            } catch (DateTimeException e) {
                throw new ConfigException(name, value, "not a time zone id (e.g. Asia/Tokyo, UTC)");
            }
        }

        @Override
        public String toString() {
            return "a time zone id, e.g. Asia/Tokyo";
        }
    }
}
