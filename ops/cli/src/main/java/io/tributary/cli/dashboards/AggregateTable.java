package io.tributary.cli.dashboards;

import io.tributary.schemas.dashboards.AggregateRows;
import io.tributary.streams.config.Aggregate;
import io.tributary.streams.config.Measure;
import io.tributary.streams.dashboards.AggState;
import io.tributary.streams.dashboards.BucketKey;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The rows of one aggregate, wherever they were computed: "bucket start | group values" to the
 * measure values in the configured order (null where SQL gives null), read from a query whose
 * columns are the bucket start in epoch millis, the group values, then the measures.
 */
public record AggregateTable(Aggregate aggregate, Map<String, List<BigDecimal>> rows) {
    private static final String UNDEFINED_TABLE = "42P01";

    public AggregateTable {
        rows = Collections.unmodifiableMap(new TreeMap<>(rows));
    }

    /**
     * The aggregate's rows in its PostgreSQL table (as the JDBC sink upserts them) for the buckets
     * starting at or after {@code fromEpochMillis}; none while the sink has not created the table.
     */
    public static AggregateTable inPostgres(Connection pg, Aggregate aggregate, String table, long fromEpochMillis) throws SQLException {
        List<String> columns = new ArrayList<>(List.of("(extract(epoch FROM " + AggregateRows.BUCKET_START + ") * 1000)::bigint"));
        aggregate.groupBy().forEach(g -> columns.add("\"" + g + "\""));
        aggregate.measures().forEach(m -> columns.add("\"" + m.name() + "\""));
        try {
            return query(pg, aggregate, "SELECT " + String.join(", ", columns) + " FROM \"" + table + "\" WHERE "
                    + AggregateRows.BUCKET_START + " >= to_timestamp(" + fromEpochMillis + " / 1000.0)");
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                return new AggregateTable(aggregate, Map.of());
            }
            throw e;
        }
    }

    public static AggregateTable query(Connection connection, Aggregate aggregate, String sql) throws SQLException {
        Map<String, List<BigDecimal>> rows = new TreeMap<>();
        for (Row row : read(connection, aggregate, sql)) {
            StringBuilder key = new StringBuilder(AggregateRows.time(row.key().start()));
            row.key().groups().forEach(g -> key.append(" | ").append(g));
            rows.put(key.toString(), row.values());
        }
        return new AggregateTable(aggregate, rows);
    }

    /** One row of an aggregate: its bucket and group, and the measure values in the configured order. */
    public record Row(BucketKey key, List<BigDecimal> values) {
    }

    /**
     * The rows a query gives, in its order. A measure given as a list (an approximate distinct
     * count's distinct values, {@link LakeAggregateSql.Distinct#VALUES}) becomes the estimate of the
     * streams app's sketch over those values, added in sorted order so the same values give the same estimate.
     */
    public static List<Row> read(Connection connection, Aggregate aggregate, String sql) throws SQLException {
        List<Row> rows = new ArrayList<>();
        int groups = aggregate.groupBy().size();
        try (Statement st = connection.createStatement(); ResultSet r = st.executeQuery(sql)) {
            while (r.next()) {
                List<String> groupValues = new ArrayList<>(groups);
                for (int g = 0; g < groups; g++) {
                    groupValues.add(r.getString(2 + g));
                }
                List<BigDecimal> values = new ArrayList<>();
                for (int m = 0; m < aggregate.measures().size(); m++) {
                    Object v = r.getObject(2 + groups + m);
                    values.add(v == null ? null : v instanceof Array list ? BigDecimal.valueOf(AggState.approxDistinct(distinct(list)))
                            : r.getBigDecimal(2 + groups + m).stripTrailingZeros());
                }
                rows.add(new Row(new BucketKey(r.getLong(1), groupValues), values));
            }
        }
        return rows;
    }

    private static List<String> distinct(Array list) throws SQLException {
        List<String> values = new ArrayList<>();
        for (Object v : (Object[]) list.getArray()) {
            values.add(String.valueOf(v));
        }
        Collections.sort(values);
        return values;
    }

    /**
     * How these rows (the served ones) differ from {@code expected}, one line per row that differs:
     * exact measures must be equal; an approximate distinct count must lie within the sketch's
     * error bound of the exact count in {@code expected}.
     */
    public List<String> differencesFrom(AggregateTable expected, String mine, String theirs) {
        List<String> out = new ArrayList<>();
        List<Measure> measures = aggregate.measures();
        for (Map.Entry<String, List<BigDecimal>> e : expected.rows().entrySet()) {
            List<BigDecimal> served = rows.get(e.getKey());
            if (served == null) {
                out.add(e.getKey() + " is missing in " + mine);
                continue;
            }
            for (int m = 0; m < measures.size(); m++) {
                BigDecimal want = e.getValue().get(m);
                BigDecimal got = served.get(m);
                boolean ok = measures.get(m).kind() == Measure.Kind.APPROX_DISTINCT
                        ? want != null && got != null && got.subtract(want).abs().longValue() <= AggState.approxDistinctTolerance(want.longValue())
                        : Objects.equals(want, got);
                if (!ok) {
                    out.add(e.getKey() + ": " + measures.get(m).name() + " " + text(got) + " in " + mine + ", " + text(want) + " in " + theirs
                            + (measures.get(m).kind() == Measure.Kind.APPROX_DISTINCT
                                    ? " (allowed: ±" + AggState.approxDistinctTolerance(want == null ? 0 : want.longValue()) + ")" : ""));
                }
            }
        }
        rows.keySet().stream().filter(k -> !expected.rows().containsKey(k)).forEach(k -> out.add(k + " is only in " + mine));
        return out;
    }

    private static String text(BigDecimal v) {
        return v == null ? "null" : v.toPlainString();
    }
}
