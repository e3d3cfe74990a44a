package io.tributary.connect.s3.config;

import io.tributary.schemas.lake.LakeTimeRange;
import io.tributary.schemas.time.RawTime;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The settings of {@code record.format=raw}, the raw archive: records are kept as they are on their
 * topics (key, value and header bytes, topic, partition, offset, timestamp), filed under the hour of
 * their lake time ({@link RawTime}), which these settings tell how to read. They must equal the
 * streams app's {@code events.time.field}, {@code events.min.time} and {@code events.max.future.ms},
 * so that the archive's hour of a record is its lake row's hour.
 */
public final class RawFormat {
    static final String GROUP = "Raw archive";

    public static final String RECORD_FORMAT = "record.format";
    public static final String AVRO = "avro";
    public static final String RAW = "raw";
    public static final String EVENTS_TOPICS = "raw.events.topics";
    public static final String EVENTS_TIME_FIELD = "raw.events.time.field";
    public static final String EVENTS_MIN_TIME = "raw.events.min.time";
    public static final String EVENTS_MAX_FUTURE_MS = "raw.events.max.future.ms";
    static final String HEADER_CONVERTER = "header.converter";
    static final String KEY_CONVERTER = "key.converter";

    private RawFormat() {
    }

    static ConfigDef define(ConfigDef def) {
        return def
                .define(RECORD_FORMAT, Type.STRING, AVRO, ConfigDef.ValidString.in(AVRO, RAW), Importance.HIGH,
                        "avro: lake topics' Confluent-wire Avro rows, written with their registered schema. raw: the raw "
                                + "archive, every record as it is on its topic (key, value and header bytes with topic, "
                                + "partition, offset and timestamp; contract raw_records), under the hour of its lake time; "
                                + "needs the ByteArrayConverter as key, value and header converter.",
                        GROUP, 1, Width.SHORT, "Record format")
                .define(EVENTS_TOPICS, Type.LIST, "", Importance.MEDIUM,
                        "record.format=raw: topics of JSON application events, filed by the event time field; records of "
                                + "every other topic are Debezium change events, filed by their commit time (source.ts_ms). "
                                + "Records without a readable time are filed by their Kafka timestamp.",
                        GROUP, 2, Width.LONG, "Event topics")
                .define(EVENTS_TIME_FIELD, Type.STRING, "event_time", Importance.MEDIUM,
                        "record.format=raw: the flattened field of an event holding its time; the streams app's "
                                + "events.time.field.", GROUP, 3, Width.SHORT, "Event time field")
                .define(EVENTS_MIN_TIME, Type.STRING, LakeTimeRange.DEFAULT_START, Importance.LOW,
                        "record.format=raw: event times before this date (UTC) are not event times the app accepts; such "
                                + "records are filed by their Kafka timestamp. The streams app's events.min.time.",
                        GROUP, 4, Width.SHORT, "Earliest event time")
                .define(EVENTS_MAX_FUTURE_MS, Type.LONG, Duration.ofHours(1).toMillis(), Range.atLeast(0), Importance.LOW,
                        "record.format=raw: event times further than this ahead of the record's Kafka timestamp are filed "
                                + "by that timestamp. The streams app's events.max.future.ms.",
                        GROUP, 5, Width.SHORT, "Future bound");
    }

    static boolean isRaw(AbstractConfig config) {
        return RAW.equals(config.getString(RECORD_FORMAT));
    }

    /** Raw mode reads bytes, never through a registry: every converter must hand bytes over unchanged. */
    static void addProblems(AbstractConfig config, List<S3SinkConfig.Problem> problems) {
        if (!isRaw(config)) {
            return;
        }
        for (String converter : List.of(KEY_CONVERTER, HEADER_CONVERTER)) {
            Object value = config.originals().get(converter);
            if (value == null || !S3SinkConfig.BYTE_ARRAY_CONVERTER.equals(value.toString())) {
                problems.add(new S3SinkConfig.Problem(RECORD_FORMAT, RECORD_FORMAT + "=raw keeps records as bytes and needs "
                        + converter + "=" + S3SinkConfig.BYTE_ARRAY_CONVERTER + " (it is " + value + ")"));
            }
        }
        try {
            LocalDate.parse(config.getString(EVENTS_MIN_TIME));
        } catch (java.time.format.DateTimeParseException e) {
            problems.add(new S3SinkConfig.Problem(EVENTS_MIN_TIME, EVENTS_MIN_TIME + " is " + config.getString(EVENTS_MIN_TIME)
                    + ", not an ISO date yyyy-MM-dd"));
        }
    }

    /** How raw mode reads the lake time of a record of {@code topic}. */
    static RawTime timeOf(AbstractConfig config, String topic) {
        if (!config.getList(EVENTS_TOPICS).contains(topic)) {
            return RawTime.debezium();
        }
        long min = LocalDate.parse(config.getString(EVENTS_MIN_TIME)).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return RawTime.events(config.getString(EVENTS_TIME_FIELD), min, config.getLong(EVENTS_MAX_FUTURE_MS));
    }
}
