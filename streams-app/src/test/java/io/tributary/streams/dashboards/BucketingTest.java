package io.tributary.streams.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class BucketingTest {
    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void utcMinutesHoursAndDays() {
        ZoneId utc = ZoneId.of("UTC");
        assertThat(new Bucketing(ChronoUnit.MINUTES, utc).start(ms("2026-12-01T14:05:59.999Z"))).isEqualTo(ms("2026-12-01T14:05:00Z"));
        assertThat(new Bucketing(ChronoUnit.HOURS, utc).start(ms("2026-12-01T14:59:59Z"))).isEqualTo(ms("2026-12-01T14:00:00Z"));
        Bucketing days = new Bucketing(ChronoUnit.DAYS, utc);
        assertThat(days.start(ms("2026-12-01T23:59:59Z"))).isEqualTo(ms("2026-12-01T00:00:00Z"));
        assertThat(days.label(ms("2026-12-01T00:00:00Z"))).isEqualTo("2026-12-01");
    }

    @Test
    void aTokyoDayStartsAt1500Utc() {
        Bucketing tokyo = new Bucketing(ChronoUnit.DAYS, ZoneId.of("Asia/Tokyo"));
        assertThat(tokyo.start(ms("2026-12-01T14:59:59.999Z"))).isEqualTo(ms("2026-11-30T15:00:00Z"));
        assertThat(tokyo.start(ms("2026-12-01T15:00:00Z"))).isEqualTo(ms("2026-12-01T15:00:00Z"));
        assertThat(tokyo.label(ms("2026-12-01T15:00:00Z"))).isEqualTo("2026-12-02");
    }

    /** Daylight saving: a New York day in March has 23 hours, in November 25. */
    @Test
    void daysWithADaylightSavingChangeAreShorterOrLonger() {
        Bucketing ny = new Bucketing(ChronoUnit.DAYS, ZoneId.of("America/New_York"));
        long march = ny.start(ms("2026-03-08T12:00:00Z"));
        assertThat(Duration.ofMillis(ny.end(march) - march)).isEqualTo(Duration.ofHours(23));
        long november = ny.start(ms("2026-11-01T12:00:00Z"));
        assertThat(Duration.ofMillis(ny.end(november) - november)).isEqualTo(Duration.ofHours(25));
    }

    /** Hours of a +05:30 zone start at half past UTC hours. */
    @Test
    void hoursOfAHalfHourZone() {
        Bucketing india = new Bucketing(ChronoUnit.HOURS, ZoneId.of("Asia/Kolkata"));
        assertThat(india.start(ms("2026-12-01T14:45:00Z"))).isEqualTo(ms("2026-12-01T14:30:00Z"));
        assertThat(india.label(ms("2026-12-01T14:30:00Z"))).isEqualTo("2026-12-01 20:00");
    }

    @Test
    void bucketKeysSortByStartAndKeepAnyGroupValueApart() {
        String a = new BucketKey(ms("2026-12-01T14:00:00Z"), java.util.List.of("a\"|[]", "実店舗")).encode();
        String b = new BucketKey(ms("2026-12-01T15:00:00Z"), java.util.List.of("")).encode();
        assertThat(a).isLessThan(b);
        assertThat(BucketKey.decode(a).groups()).containsExactly("a\"|[]", "実店舗");
        assertThat(BucketKey.startOf(b)).isEqualTo(ms("2026-12-01T15:00:00Z"));
    }

    @Test
    void bucketStartsAreSixteenDigitsAsBeforeSoStoredKeysStillMatch() {
        // Keys are in the stores' changelogs: a new encoding would split a bucket after an upgrade.
        for (long start : new long[] {0L, 1L, ms("2026-12-01T15:00:00Z"), -3_600_000L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            String key = new BucketKey(start, java.util.List.of("x")).encode();
            assertThat(key).isEqualTo(String.format("%016d", start) + "[\"x\"]");
        }
    }
}
