package io.tributary.schemas.dashboards;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The contract of the dashboard aggregate topics, shared by the streams app that writes them, the
 * dashboard service that shows them and the tools that check them: each record is a Kafka Connect
 * struct in JSON with schema, keyed by the bucket start and the group values; its value repeats
 * them and adds the columns below, then one per measure. Times are ISO-8601 instants in UTC, typed
 * as Debezium ZonedTimestamps, so that the JDBC sink makes them {@code timestamptz} columns.
 */
public final class AggregateRows {
    public static final String BUCKET_START = "bucket_start";
    public static final String BUCKET_END = "bucket_end";
    public static final String BUCKET_ZONE = "bucket_zone";
    public static final String BUCKET_UNIT = "bucket_unit";
    public static final String BUCKET_LABEL = "bucket_label";
    public static final String UPDATED_AT = "updated_at";
    /** The columns of every row besides its group values and measures. */
    public static final List<String> ROW_COLUMNS = List.of(BUCKET_START, BUCKET_END, BUCKET_ZONE, BUCKET_UNIT, BUCKET_LABEL, UPDATED_AT);
    /** Debezium's semantic type of a timestamp with offset, as text; its JDBC sink maps it to TIMESTAMP WITH TIME ZONE. */
    public static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

    private AggregateRows() {
    }

    /** A time as the rows carry it: ISO-8601 in UTC, e.g. 2026-12-01T15:00:00Z. */
    public static String time(long epochMillis) {
        return ISO.format(Instant.ofEpochMilli(epochMillis));
    }

    /** The JDBC sink's table of a topic: its default naming strategy turns dots into underscores (dash.x: dash_x). */
    public static String tableName(String topic) {
        return topic.replace('.', '_');
    }
}
