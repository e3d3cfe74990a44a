package io.tributary.streams.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The live aggregates on TopologyTestDriver: exact totals per bucket and group, grace, replays, CDC current state. */
class DashboardTopologyTest {
    private static final Instant T = Instant.parse("2026-12-01T14:05:00Z");
    private final DashboardFixture f = new DashboardFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void countsSumsMinMaxAndDistinctUsersPerHourAndDisplayName() {
        f.event("e1", T, "ウェブサイト", "100.50", "u-1");
        f.event("e2", T.plusSeconds(60), "ウェブサイト", "20.25", "u-2");
        f.event("e3", T.plusSeconds(120), "ウェブサイト", null, "u-1");
        f.event("e4", T.plusSeconds(180), "実店舗", "7.00", "u-3");
        f.event("e5", T.plusSeconds(3600), "ウェブサイト", "1.00", "u-9");
        f.event("e6", T.plusSeconds(3660), null, null, null);
        f.emit();

        Map<String, Struct> rows = f.byLabel("events_per_hour");
        assertThat(rows).containsOnlyKeys("2026-12-01T14:00:00Z ウェブサイト", "2026-12-01T14:00:00Z 実店舗",
                "2026-12-01T15:00:00Z ウェブサイト", "2026-12-01T15:00:00Z (none)");
        Struct web = rows.get("2026-12-01T14:00:00Z ウェブサイト");
        assertThat(web.getInt64("events")).isEqualTo(3);
        assertThat((BigDecimal) web.get("amount")).isEqualByComparingTo("120.75");
        assertThat(((BigDecimal) web.get("amount")).scale()).isEqualTo(2);
        assertThat((BigDecimal) web.get("min_amount")).isEqualByComparingTo("20.25");
        assertThat((BigDecimal) web.get("max_amount")).isEqualByComparingTo("100.50");
        assertThat(web.getInt64("users")).isEqualTo(2);
        assertThat(web.getString("bucket_end")).isEqualTo("2026-12-01T15:00:00Z");
        assertThat(web.getString("bucket_label")).as("in the display zone").isEqualTo("2026-12-01 23:00");
        assertThat(web.getString("bucket_zone")).isEqualTo("Asia/Tokyo");
        assertThat(web.getString("bucket_unit")).isEqualTo("hour");
        Struct none = rows.get("2026-12-01T15:00:00Z (none)");
        assertThat(none.getInt64("events")).isEqualTo(1);
        assertThat(none.get("amount")).as("a sum of nulls is null, as in SQL").isNull();
        assertThat(none.getInt64("users")).isZero();
        assertThat(f.counter("tributary.dashboard.rows.counted", "events_per_hour")).isEqualTo(6);
    }

    /** The bytes are what the JDBC sink reads: JSON with schema, the key its primary key, times as ZonedTimestamps. */
    @Test
    void rowsAreJsonWithSchemasKeyedByBucketStartAndGroup() throws Exception {
        f.event("e1", T, "ウェブサイト", "100.50", "u-1");
        f.emit();
        TestOutputTopic<String, byte[]> raw = f.driver.createOutputTopic("dash.events_per_hour", new StringDeserializer(),
                new ByteArrayDeserializer());
        var record = raw.readRecord();
        ObjectMapper json = new ObjectMapper();
        JsonNode key = json.readTree(record.key());
        assertThat(key.at("/payload")).hasToString("{\"bucket_start\":\"2026-12-01T14:00:00Z\",\"source_type_name\":\"ウェブサイト\"}");
        assertThat(key.at("/schema/fields/0/name").asText()).isEqualTo("io.debezium.time.ZonedTimestamp");
        assertThat(key.at("/schema/fields/0/optional").asBoolean()).isFalse();
        JsonNode value = json.readTree(record.value());
        assertThat(value.at("/payload/amount").decimalValue()).isEqualByComparingTo("100.50");
        assertThat(value.at("/payload/amount").isNumber()).isTrue();
        assertThat(record.timestamp()).as("record time = bucket start").isEqualTo(Instant.parse("2026-12-01T14:00:00Z").toEpochMilli());
    }

    /** A Japanese business day starts at 15:00 UTC: 14:59Z and 15:00Z are on two days. */
    @Test
    void dayBucketsFollowTheDisplayZonesCalendar() {
        f.event("a", Instant.parse("2026-12-01T14:59:59Z"), "ウェブサイト", "1.00", "u-1");
        f.event("b", Instant.parse("2026-12-01T15:00:00Z"), "ウェブサイト", "1.00", "u-1");
        f.emit();
        Map<String, Struct> days = f.byLabel("events_per_day");
        assertThat(days).containsOnlyKeys("2026-11-30T15:00:00Z ウェブサイト", "2026-12-01T15:00:00Z ウェブサイト");
        assertThat(days.get("2026-12-01T15:00:00Z ウェブサイト").getString("bucket_label")).isEqualTo("2026-12-02");
        assertThat(days.get("2026-11-30T15:00:00Z ウェブサイト").getString("bucket_label")).isEqualTo("2026-12-01");
    }

    /** Replaying a range sends its events again: they are recognised by id, and no bucket changes. */
    @Test
    void aReplayedRangeRecomputesItsBucketsWithoutCountingAnyEventTwice() {
        for (int i = 0; i < 20; i++) {
            f.event("e" + i, T.plusSeconds(i * 60L), i % 2 == 0 ? "ウェブサイト" : "実店舗", i + ".00", "u-" + (i % 3));
        }
        f.emit();
        Map<String, String> before = snapshot(f.byLabel("events_per_hour"));
        for (int i = 5; i < 15; i++) {   // the replay of 14:10 to 14:19
            f.event("e" + i, T.plusSeconds(i * 60L), i % 2 == 0 ? "ウェブサイト" : "実店舗", i + ".00", "u-" + (i % 3));
        }
        f.emit();
        assertThat(snapshot(f.byLabel("events_per_hour"))).isEqualTo(before);
        assertThat(f.counter("tributary.dashboard.duplicates", "events_per_hour")).isEqualTo(10);
        assertThat(f.counter("tributary.dashboard.rows.counted", "events_per_hour")).isEqualTo(20);
        // an event the first run missed (e.g. dead-lettered, then fixed) is counted by the replay
        f.event("e-missed", T.plusSeconds(300), "実店舗", "5.00", "u-7");
        f.emit();
        assertThat(f.byLabel("events_per_hour").get("2026-12-01T14:00:00Z 実店舗").getInt64("events")).isEqualTo(11);
    }

    @Test
    void aLateEventUpdatesItsBucketWithinTheGracePeriodAndIsDroppedAndCountedAfterIt() {
        f.event("a", Instant.parse("2026-12-01T14:10:00Z"), "ウェブサイト", "1.00", "u-1");
        f.event("b", Instant.parse("2026-12-01T15:05:00Z"), "ウェブサイト", "1.00", "u-1");   // stream time 15:05
        f.event("late", Instant.parse("2026-12-01T14:50:00Z"), "ウェブサイト", "1.00", "u-1");   // 5 min after the end: grace 10 min
        f.emit();
        assertThat(f.byLabel("events_per_hour").get("2026-12-01T14:00:00Z ウェブサイト").getInt64("events")).isEqualTo(2);
        f.event("c", Instant.parse("2026-12-01T15:10:00Z"), "ウェブサイト", "1.00", "u-1");   // 14:00 closes at 15:10
        f.event("too-late", Instant.parse("2026-12-01T14:55:00Z"), "ウェブサイト", "1.00", "u-1");
        f.emit();
        assertThat(f.byLabel("events_per_hour").get("2026-12-01T14:00:00Z ウェブサイト").getInt64("events")).isEqualTo(2);
        assertThat(f.counter("tributary.dashboard.late.dropped", "events_per_hour")).isEqualTo(1);
        // its Tokyo day (until 15:00Z, grace 1 hour by default) is still open: it counts there, beside 14:10 and 14:50
        assertThat(f.byLabel("events_per_day").get("2026-11-30T15:00:00Z ウェブサイト").getInt64("count")).isEqualTo(3);
        assertThat(f.counter("tributary.dashboard.late.dropped", "events_per_day")).isZero();
    }

    /** Closed buckets leave the stores: their totals and seen ids would otherwise grow without bound. */
    @Test
    void closedBucketsArePurgedFromTheStores() {
        f.event("a", Instant.parse("2026-12-01T14:10:00Z"), "ウェブサイト", "1.00", "u-1");
        f.event("b", Instant.parse("2026-12-01T14:20:00Z"), "実店舗", "1.00", "u-1");
        KeyValueStore<String, Object> totals = f.driver.getKeyValueStore("dash-events_per_hour-totals");
        KeyValueStore<String, Object> seen = f.driver.getKeyValueStore("dash-events_per_hour-seen");
        assertThat(count(totals)).isEqualTo(2);
        assertThat(count(seen)).isEqualTo(2);
        f.event("c", Instant.parse("2026-12-01T15:30:00Z"), "ウェブサイト", "1.00", "u-1");   // 14:00 + 1 h + 10 min grace passed
        f.emit();
        assertThat(count(totals)).isEqualTo(1);
        assertThat(count(seen)).isEqualTo(1);
        assertThat(f.byLabel("events_per_hour")).containsKeys("2026-12-01T14:00:00Z ウェブサイト", "2026-12-01T14:00:00Z 実店舗");
    }

    /** CDC current state: an update moves the amount to the new status, a delete takes it out, a re-read changes nothing. */
    @Test
    void transactionUpdatesMoveAmountsBetweenStatusesAndDeletesRemoveThem() {
        Instant created = Instant.parse("2026-12-01T16:00:00Z");   // 2026-12-02 in Tokyo
        f.transaction("c", 1, "pending", "100.00", created, T);
        f.transaction("c", 2, "pending", "50.00", created, T.plusSeconds(1));
        f.transaction("c", 3, "pending", "7.00", Instant.parse("2026-12-01T14:00:00Z"), T.plusSeconds(2)); // 2026-12-01 in Tokyo
        f.driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
        assertThat(totals()).containsOnly(Map.entry("2026-12-01T15:00:00Z pending", "2|150.00"),
                Map.entry("2026-11-30T15:00:00Z pending", "1|7.00"));

        f.transaction("u", 1, "paid", "100.00", created, T.plusSeconds(3));
        assertThat(totals()).containsOnly(Map.entry("2026-12-01T15:00:00Z pending", "1|50.00"),
                Map.entry("2026-12-01T15:00:00Z paid", "1|100.00"), Map.entry("2026-11-30T15:00:00Z pending", "1|7.00"));

        f.transaction("d", 2, "pending", "50.00", created, T.plusSeconds(4));
        assertThat(totals()).as("the empty group is a tombstone: its database row is deleted")
                .containsOnly(Map.entry("2026-12-01T15:00:00Z paid", "1|100.00"), Map.entry("2026-11-30T15:00:00Z pending", "1|7.00"));

        f.transaction("r", 1, "paid", "100.00", created, T.plusSeconds(5));   // a snapshot re-read of the same row
        f.transaction("u", 3, "pending", "9.50", Instant.parse("2026-12-01T14:00:00Z"), T.plusSeconds(6));
        assertThat(totals()).containsOnly(Map.entry("2026-12-01T15:00:00Z paid", "1|100.00"),
                Map.entry("2026-11-30T15:00:00Z pending", "1|9.50"));
        assertThat(f.byLabel("transactions_per_status").get("2026-12-01T15:00:00Z paid").getString("bucket_label"))
                .isEqualTo("2026-12-02");
    }

    private Map<String, String> totals() {
        Map<String, String> out = new java.util.TreeMap<>();
        f.byLabel("transactions_per_status").forEach((k, v) -> out.put(k, v.getInt64("transactions") + "|" + v.get("amount")));
        return out;
    }

    private static Map<String, String> snapshot(Map<String, Struct> rows) {
        Map<String, String> out = new java.util.TreeMap<>();
        rows.forEach((k, v) -> out.put(k, v.getInt64("events") + "|" + v.get("amount") + "|" + v.get("min_amount") + "|"
                + v.get("max_amount") + "|" + v.get("users")));
        return out;
    }

    private static long count(KeyValueStore<String, Object> store) {
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }
}
