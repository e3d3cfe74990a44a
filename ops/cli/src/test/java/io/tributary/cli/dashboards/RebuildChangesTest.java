package io.tributary.cli.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cli.common.CliError;
import io.tributary.streams.config.Aggregate;
import io.tributary.streams.config.DashboardSettings;
import io.tributary.streams.config.Measure;
import io.tributary.streams.dashboards.BucketKey;
import io.tributary.streams.dashboards.ConnectRows;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * What a rebuild sends: absolute rows in the streams app's format for what the lake has, nothing for
 * rows the topic already holds (after a JSON round trip, as the topic gives them back), tombstones for
 * keys of the range only; and the refusal of buckets still open in the streams app.
 */
class RebuildChangesTest {
    private static final Aggregate HOURLY = new Aggregate("events_per_hour", "app_events", ChronoUnit.HOURS, ZoneId.of("Asia/Tokyo"),
            null, "event_id", List.of("source_type_name"), List.of(Measure.parse("m", "count:events"),
            Measure.parse("m", "sum(amount):amount"), Measure.parse("m", "approx_distinct(user_id):users")), 3_600_000);
    private static final long H10 = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
    private static final long H11 = H10 + 3_600_000;
    private static final long H12 = H11 + 3_600_000;
    private static final long NOW = Instant.parse("2026-12-02T00:00:00Z").toEpochMilli();
    private final ConnectRows rows = new ConnectRows(HOURLY);

    @Test
    void sendsAbsoluteRowsForNewAndChangedKeysAndTombstonesForKeysOfTheRangeTheLakeLacks() {
        Map<String, Struct> onTopic = new HashMap<>();
        onTopic.put(key(H10, "web"), roundTrip(key(H10, "web"), rows.value(BucketKey.decode(key(H10, "web")), values(2, "10.50", 2), NOW - 5)));
        onTopic.put(key(H10, "store"), roundTrip(key(H10, "store"), rows.value(BucketKey.decode(key(H10, "store")), values(1, "1.00", 1), 0)));
        onTopic.put(key(H11, "gone"), rows.value(BucketKey.decode(key(H11, "gone")), values(1, "1.00", 1), 0));
        onTopic.put(key(H12, "later"), rows.value(BucketKey.decode(key(H12, "later")), values(1, "1.00", 1), 0)); // outside the range

        RebuildChanges changes = RebuildChanges.of(rows, List.of(
                row(H10, "web", 2, "10.50", 2),    // as on the topic: left alone, whatever its updated_at
                row(H10, "store", 3, "4.00", 2),   // late events the live app dropped: the lake's totals replace the row
                row(H11, "web", 1, "2.00", 1)),    // not on the topic at all
                onTopic, H10, H12, NOW);

        assertThat(changes.unchanged()).isEqualTo(1);
        assertThat(changes.rows().keySet()).containsExactly(key(H10, "store"), key(H11, "web"), key(H11, "gone"));
        assertThat(changes.tombstones()).isEqualTo(1);
        assertThat(changes.rows().get(key(H11, "gone"))).isNull();
        Struct store = changes.rows().get(key(H10, "store"));
        assertThat(store.getInt64("events")).isEqualTo(3);
        assertThat(store.get("amount")).isEqualTo(new BigDecimal("4.00"));
        assertThat(store.getInt64("users")).isEqualTo(2);
        assertThat(store.getString("bucket_label")).isEqualTo("2026-12-01 19:00"); // Tokyo, as the live rows
        assertThat(store.getString("updated_at")).isEqualTo("2026-12-02T00:00:00Z");
        assertThat(store).isEqualTo(rows.value(BucketKey.decode(key(H10, "store")), values(3, "4.00", 2), NOW));
    }

    @Test
    void aSecondRebuildOfTheSameLakeSendsNothing() {
        List<AggregateTable.Row> lake = List.of(row(H10, "web", 2, "10.50", 2), row(H11, "web", 1, "2.00", 1));
        RebuildChanges first = RebuildChanges.of(rows, lake, Map.of(), H10, H12, NOW);
        Map<String, Struct> onTopic = new HashMap<>();
        first.rows().forEach((k, v) -> onTopic.put(k, roundTrip(k, v)));
        RebuildChanges second = RebuildChanges.of(rows, lake, onTopic, H10, H12, NOW + 60_000);
        assertThat(second.rows()).isEmpty();
        assertThat(second.unchanged()).isEqualTo(2);
    }

    @Test
    void bucketsStillOpenInTheStreamsAppAreRefusedSayingWhenToRun() {
        long now = H12 + 30 * 60_000; // 12:30: the 11:00 bucket closes at 13:00 (end 12:00 + one hour's grace)
        assertThat(DashboardRebuild.buckets(HOURLY, H10, H11, now)).containsExactly(H10, H11);
        assertThatThrownBy(() -> DashboardRebuild.buckets(HOURLY, H10, H12, now)).isInstanceOf(CliError.class)
                .hasMessage("aggregate events_per_hour: the bucket 2026-12-01 20:00 (Asia/Tokyo) is still open in the streams app "
                        + "until 2026-12-01T13:00:00Z (its end plus the 3600 s grace period), which would overwrite rebuilt rows "
                        + "with its own totals. Rebuild up to 2026-12-01T11:00:00Z now, and the rest after 2026-12-01T13:00:00Z");
        // An instant inside a bucket rebuilds the whole bucket.
        assertThat(DashboardRebuild.buckets(HOURLY, H10 + 60_000, H10 + 120_000, now)).containsExactly(H10, H11);
    }

    @Test
    void aReplayOfOpenBucketsLeavesThemToTheLiveAppAndSaysWhenToRebuild() throws Exception {
        DashboardSettings settings = new DashboardSettings(List.of(HOURLY), ZoneId.of("Asia/Tokyo"), "dash.", 100, 100, "(none)", 3_600_000);
        long now = H12 + 30 * 60_000;
        assertThat(new DashboardRebuild(settings, null, null).refresh("app_events", H11, H12, now)).containsExactly(
                "dashboards: events_per_hour buckets from 2026-12-01T11:00:00Z are still open in the streams app (which does not see "
                        + "replayed rows); after 2026-12-01T13:00:00Z run: tributary dashboards rebuild --from 2026-12-01T11:00:00Z "
                        + "--to 2026-12-01T12:00:00Z --aggregate events_per_hour");
        assertThat(new DashboardRebuild(settings, null, null).refresh("transactions", H11, H12, now)).isEmpty();
    }

    private Struct roundTrip(String key, Struct value) {
        Serde<Struct> serde = rows.valueSerde();
        assertThat(rows.keySerde().deserializer().deserialize("t", rows.keySerde().serializer().serialize("t", key))).isEqualTo(key);
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }

    private static String key(long start, String group) {
        return new BucketKey(start, List.of(group)).encode();
    }

    private static AggregateTable.Row row(long start, String group, long events, String amount, long users) {
        return new AggregateTable.Row(new BucketKey(start, List.of(group)), values(events, amount, users));
    }

    private static List<BigDecimal> values(long events, String amount, long users) {
        return List.of(BigDecimal.valueOf(events), new BigDecimal(amount).stripTrailingZeros(), BigDecimal.valueOf(users));
    }
}
