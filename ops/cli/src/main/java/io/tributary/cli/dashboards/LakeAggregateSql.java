package io.tributary.cli.dashboards;

import io.tributary.cli.lake.CurrentView;
import io.tributary.streams.cdc.LakeSchemaEvolution;
import io.tributary.streams.config.Aggregate;
import io.tributary.streams.config.Measure;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An aggregate computed afresh over the lake, in the SQL {@code tributary query} runs (DuckDB over the
 * Parquet files): the independent account a served aggregate is checked against. Event tables count
 * each event id once; CDC tables count their current rows (each key's newest change, unless a delete).
 * Buckets follow the aggregate's zone calendar with DuckDB's ICU time functions; a null group value is
 * the configured label. An approximate distinct count is computed exactly ({@link Distinct#EXACT}, to
 * check a served estimate against) or as the list of distinct values ({@link Distinct#VALUES}), which
 * {@link AggregateTable} puts through the streams app's own sketch. Columns: bucket start (epoch
 * millis), the group values, the measures, as {@link AggregateTable} reads them.
 */
public final class LakeAggregateSql {
    /** The events contract's event time: the streams app also stamps it as the record time it buckets by. */
    static final String EVENT_TIME = "event_time";

    /** How an approximate distinct count is computed over the lake. */
    public enum Distinct {
        /** count(DISTINCT c): the true value a served estimate is checked against. */
        EXACT,
        /** The bucket's distinct non-null values as text, for a sketch like the live one. */
        VALUES
    }

    private LakeAggregateSql() {
    }

    /** The buckets starting at or after {@code fromEpochMillis}, distinct counts exact. */
    public static String of(Aggregate a, String nullLabel, List<String> cdcKey, long fromEpochMillis) {
        return of(a, nullLabel, cdcKey, fromEpochMillis, Long.MAX_VALUE, Distinct.EXACT);
    }

    /**
     * @param cdcKey          the CDC table's primary key columns (ignored for the events table, which has an id column)
     * @param fromEpochMillis only buckets starting at or after this
     * @param toEpochMillis   and before this
     */
    public static String of(Aggregate a, String nullLabel, List<String> cdcKey, long fromEpochMillis, long toEpochMillis,
            Distinct distinct) {
        boolean events = a.idColumn() != null;
        String time = quote(events && a.timeColumn() == null ? EVENT_TIME : a.timeColumn());
        String rows = events
                ? "SELECT * FROM " + quote(a.table()) + " QUALIFY row_number() OVER (PARTITION BY " + quote(a.idColumn()) + ") = 1"
                : "SELECT * FROM (" + CurrentView.ranked(quote(a.table()), cdcKey) + ") WHERE " + CurrentView.CURRENT;
        String zone = a.zone().getId().replace("'", "''");
        String local = "timezone('" + zone + "', to_timestamp(epoch_ms(" + time + ") / 1000))";
        List<String> columns = new ArrayList<>();
        columns.add("epoch_ms(timezone('" + zone + "', date_trunc('" + unit(a.bucket()) + "', " + local + "))) AS bucket_start");
        for (String g : a.groupBy()) {
            columns.add("coalesce(CAST(" + quote(g) + " AS VARCHAR), '" + nullLabel.replace("'", "''") + "') AS " + quote(g));
        }
        for (Measure m : a.measures()) {
            columns.add(measure(m, distinct) + " AS " + quote(m.name()));
        }
        // A bucket starts at or before each of its rows' times: rows before the first bucket can go before grouping.
        return "SELECT * FROM (SELECT " + String.join(", ", columns) + " FROM (" + rows + ") WHERE " + time
                + " IS NOT NULL AND epoch_ms(" + time + ") >= " + fromEpochMillis + " GROUP BY ALL) WHERE bucket_start >= " + fromEpochMillis
                + (toEpochMillis == Long.MAX_VALUE ? "" : " AND bucket_start < " + toEpochMillis);
    }

    private static String measure(Measure m, Distinct distinct) {
        return switch (m.kind()) {
            case COUNT -> "count(*)";
            case SUM -> "sum(" + quote(m.column()) + ")";
            case MIN -> "min(" + quote(m.column()) + ")";
            case MAX -> "max(" + quote(m.column()) + ")";
            case APPROX_DISTINCT -> distinct == Distinct.EXACT ? "count(DISTINCT " + quote(m.column()) + ")"
                    : "list(DISTINCT CAST(" + quote(m.column()) + " AS VARCHAR)) FILTER (WHERE "
                            + quote(m.column()) + " IS NOT NULL)";
        };
    }

    private static String unit(ChronoUnit bucket) {
        return switch (bucket) {
            case MINUTES -> "minute";
            case HOURS -> "hour";
            default -> "day";
        };
    }

    static String quote(String identifier) {
        return "\"" + identifier + "\"";
    }
}
