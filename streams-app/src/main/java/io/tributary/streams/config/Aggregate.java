package io.tributary.streams.config;

import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One live aggregate for dashboards, as configured under {@code dashboards.aggregate.<name>.*}:
 * rows of a lake table counted into time buckets per group.
 *
 * @param name       the aggregate's name: its topic {@code <prefix><name>} and PostgreSQL table
 * @param table      the lake table whose rows it aggregates (the events table or a CDC table)
 * @param bucket     the bucket size: minutes, hours or days
 * @param zone       the zone whose calendar the buckets follow (a Tokyo day starts at 00:00 JST)
 * @param timeColumn the column that places a row in a bucket; null for the events table's event time
 * @param idColumn   the column that identifies an event, so that a replayed one counts once (events only)
 * @param groupBy    the group-by columns, as text in the key
 * @param measures   what is computed per bucket and group
 * @param graceMs    how long after a bucket's end a late event still updates it (events only)
 */
public record Aggregate(String name, String table, ChronoUnit bucket, ZoneId zone, String timeColumn, String idColumn,
        List<String> groupBy, List<Measure> measures, long graceMs) {
    public Aggregate {
        groupBy = List.copyOf(groupBy);
        measures = List.copyOf(measures);
    }

    /** The configuration key of one of this aggregate's settings, for error messages. */
    public String key(String setting) {
        return DashboardSettings.AGGREGATE_PREFIX + name + "." + setting;
    }
}
