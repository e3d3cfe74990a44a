package io.tributary.cli.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.streams.config.Aggregate;
import io.tributary.streams.config.Measure;
import io.tributary.streams.dashboards.AggState;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lake side of the dashboards' reconciliation, in DuckDB over tables shaped like the lake's:
 * buckets on a zone's calendar, a replayed event counted once, null groups labelled, a CDC table's
 * current rows only; and the comparison with served rows, exact and approximate.
 */
class LakeAggregateSqlTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final Aggregate HOURLY = new Aggregate("events_per_hour", "app_events", ChronoUnit.HOURS, ZoneId.of("UTC"), null,
            "event_id", List.of("source_type_name"), List.of(Measure.parse("m", "count:events"), Measure.parse("m", "sum(amount):amount"),
            Measure.parse("m", "min(amount)"), Measure.parse("m", "max(amount)"), Measure.parse("m", "approx_distinct(user_id):users")), 3_600_000);
    private static final Aggregate STATUS = new Aggregate("transactions_per_status", "transactions", ChronoUnit.DAYS, TOKYO, "created_at",
            null, List.of("status"), List.of(Measure.parse("m", "count:transactions"), Measure.parse("m", "sum(amount):amount")), -1);
    private Connection duckdb;

    @BeforeEach
    void lake() throws Exception {
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement st = duckdb.createStatement()) {
            st.execute("CREATE TABLE app_events (event_id VARCHAR, event_time TIMESTAMPTZ, source_type_name VARCHAR, "
                    + "amount DECIMAL(18,2), user_id VARCHAR)");
            st.execute("INSERT INTO app_events VALUES "
                    + "('e1', '2026-12-01 10:05:00+00', 'ウェブ', 10.50, 'u1'),"
                    + "('e2', '2026-12-01 10:59:59.999+00', 'ウェブ', 2.00, 'u2'),"
                    + "('e2', '2026-12-01 10:59:59.999+00', 'ウェブ', 2.00, 'u2')," // replayed: counted once
                    + "('e3', '2026-12-01 11:00:00+00', 'ウェブ', NULL, 'u1'),"
                    + "('e4', '2026-12-01 10:30:00+00', NULL, 1.25, 'u1'),"
                    + "('e0', '2026-12-01 09:59:00+00', 'ウェブ', 99.00, 'u9')"); // before the first bucket asked for
            st.execute("CREATE TABLE transactions (id BIGINT, status VARCHAR, amount DECIMAL(12,2), created_at TIMESTAMPTZ, "
                    + "_op VARCHAR, _source_ts TIMESTAMPTZ, _deleted BOOLEAN, _source_pos VARCHAR)");
            st.execute("INSERT INTO transactions VALUES "
                    + "(1, 'pending', 100.00, '2026-12-01 14:59:59+00', 'c', '2026-12-01 15:00:00+00', false, '001-01'),"
                    + "(1, 'paid', 100.00, '2026-12-01 14:59:59+00', 'u', '2026-12-01 15:00:00+00', false, '001-02'),"
                    + "(2, 'pending', 5.00, '2026-12-01 15:00:00+00', 'c', '2026-12-01 15:00:01+00', false, '001-03'),"
                    + "(3, 'pending', 7.00, '2026-12-01 15:00:00+00', 'c', '2026-12-01 15:00:01+00', false, '001-04'),"
                    + "(3, 'pending', 7.00, '2026-12-01 15:00:00+00', 'd', '2026-12-01 15:00:02+00', true, '001-05')");
        }
    }

    @AfterEach
    void close() throws Exception {
        duckdb.close();
    }

    @Test
    void eventsPerHourCountEachEventOnceInItsUtcHour() throws Exception {
        long from = java.time.Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
        AggregateTable t = AggregateTable.query(duckdb, HOURLY, LakeAggregateSql.of(HOURLY, "(none)", List.of(), from));
        assertThat(t.rows()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "2026-12-01T10:00:00Z | ウェブ", values("2", "12.5", "2", "10.5", "2"),
                "2026-12-01T10:00:00Z | (none)", values("1", "1.25", "1.25", "1.25", "1"),
                "2026-12-01T11:00:00Z | ウェブ", values("1", null, null, null, "1")));
    }

    @Test
    void transactionsPerTokyoDayHoldTheCurrentRowsOnly() throws Exception {
        AggregateTable t = AggregateTable.query(duckdb, STATUS, LakeAggregateSql.of(STATUS, "(none)", List.of("id"), 0));
        // 14:59:59 UTC is still 1 December in Tokyo; 15:00 UTC is 2 December. Transaction 3 was deleted.
        assertThat(t.rows()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "2026-11-30T15:00:00Z | paid", values("1", "100"),
                "2026-12-01T15:00:00Z | pending", values("1", "5")));
    }

    @Test
    void forARebuildTheRangeIsBoundedAndDistinctCountsGoThroughTheStreamsAppsSketch() throws Exception {
        long from = java.time.Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
        String sql = LakeAggregateSql.of(HOURLY, "(none)", List.of(), from, from + 3_600_000, LakeAggregateSql.Distinct.VALUES);
        List<AggregateTable.Row> rows = AggregateTable.read(duckdb, HOURLY, sql);
        assertThat(rows).extracting(r -> r.key().groups().get(0) + " " + r.values()).containsExactlyInAnyOrder(
                "ウェブ [2, 12.5, 2, 10.5, " + AggState.approxDistinct(List.of("u1", "u2")) + "]",
                "(none) [1, 1.25, 1.25, 1.25, " + AggState.approxDistinct(List.of("u1")) + "]");
        assertThat(rows).allMatch(r -> r.key().start() == from);
    }

    @Test
    void servedRowsDifferWhenAnExactMeasureOrARowDiffers() {
        AggregateTable lake = new AggregateTable(STATUS, Map.of("b | paid", values("2", "110.00"), "b | pending", values("1", "5")));
        assertThat(new AggregateTable(STATUS, Map.of("b | paid", values("2", "110"), "b | pending", values("1", "5.0")))
                .differencesFrom(lake, "PostgreSQL", "the lake")).isEmpty();
        assertThat(new AggregateTable(STATUS, Map.of("b | paid", values("2", "110.01"), "b | refunded", values("1", "5")))
                .differencesFrom(lake, "PostgreSQL", "the lake")).containsExactly(
                        "b | paid: amount 110.01 in PostgreSQL, 110 in the lake",
                        "b | pending is missing in PostgreSQL",
                        "b | refunded is only in PostgreSQL");
    }

    @Test
    void anApproximateDistinctCountMayMissByThreeStandardErrors() {
        long tolerance = AggState.approxDistinctTolerance(10_000);
        assertThat(tolerance).isBetween(450L, 500L); // 3 standard errors of about 1.6 % each, of 10,000
        assertThat(AggState.approxDistinctTolerance(3)).isEqualTo(1);
        AggregateTable lake = new AggregateTable(HOURLY, Map.of("b | w", values("1", "1", "1", "1", "10000")));
        assertThat(new AggregateTable(HOURLY, Map.of("b | w", values("1", "1", "1", "1", String.valueOf(10_000 + tolerance))))
                .differencesFrom(lake, "PostgreSQL", "the lake")).isEmpty();
        assertThat(new AggregateTable(HOURLY, Map.of("b | w", values("1", "1", "1", "1", String.valueOf(10_000 - tolerance - 1))))
                .differencesFrom(lake, "PostgreSQL", "the lake")).singleElement().asString()
                .startsWith("b | w: users " + (10_000 - tolerance - 1) + " in PostgreSQL, 10000 in the lake (allowed: ±");
    }

    private static List<BigDecimal> values(String... texts) {
        return java.util.Arrays.stream(texts).map(t -> t == null ? null : new BigDecimal(t).stripTrailingZeros()).toList();
    }
}
