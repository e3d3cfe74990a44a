package io.tributary.streams.dashboards;

import io.tributary.streams.config.Aggregate;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The time buckets of an aggregate: minutes, hours or days of a zone's calendar. Kafka Streams'
 * windows are fixed lengths aligned to the UTC epoch, so a Tokyo day (starting 15:00 UTC) or a day
 * with a daylight saving change (23 or 25 hours) cannot be one; buckets are computed from the
 * calendar instead, with java.time.
 */
public record Bucketing(ChronoUnit unit, ZoneId zone) {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    public static Bucketing of(Aggregate aggregate) {
        return new Bucketing(aggregate.bucket(), aggregate.zone());
    }

    /** The start (epoch millis) of the bucket holding this instant. */
    public long start(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
        ZonedDateTime start = unit == ChronoUnit.DAYS ? t.toLocalDate().atStartOfDay(zone) : t.truncatedTo(unit);
        return start.toInstant().toEpochMilli();
    }

    /** The end (exclusive, epoch millis) of the bucket starting at {@code start}. */
    public long end(long start) {
        return Instant.ofEpochMilli(start).atZone(zone).plus(1, unit).toInstant().toEpochMilli();
    }

    /** The bucket as people in its zone name it: 2026-12-02 for a day, 2026-12-02 09:00 for an hour or minute. */
    public String label(long start) {
        return Instant.ofEpochMilli(start).atZone(zone).format(unit == ChronoUnit.DAYS ? DAY : MINUTE);
    }

    /** minute, hour or day, as configured. */
    public String unitName() {
        return switch (unit) {
            case MINUTES -> "minute";
            case HOURS -> "hour";
            default -> "day";
        };
    }
}
