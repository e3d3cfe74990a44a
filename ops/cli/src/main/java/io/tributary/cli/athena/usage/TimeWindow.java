package io.tributary.cli.athena.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The queries a report covers: those submitted in [from, to). */
public record TimeWindow(Instant from, Instant to) {
    public TimeWindow {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the window is empty: " + from + " is not before " + to);
        }
    }

    /** The last {@code length} before {@code now}. */
    public static TimeWindow since(Duration length, Instant now) {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("--since must be positive, e.g. 7d");
        }
        return new TimeWindow(now.minus(length), now);
    }

    /** From {@code from} to {@code to} (now when null). */
    public static TimeWindow between(String from, String to, Instant now) {
        return new TimeWindow(parse(from, "--from"), to == null ? now : parse(to, "--to"));
    }

    /** An ISO-8601 instant ({@code 2026-11-01T09:00:00Z}), one with an offset ({@code ...+09:00}), or a date (its midnight UTC). */
    static Instant parse(String value, String flag) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(flag + " '" + value + "' is not a time: write 2026-11-01, 2026-11-01T09:00:00Z "
                    + "or 2026-11-01T18:00:00+09:00");
        }
    }

    public boolean contains(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    @Override
    public String toString() {
        return from + " to " + to;
    }
}
