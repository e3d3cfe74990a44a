package io.tributary.schemas.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.format.DateTimeParseException;

/**
 * Epoch milliseconds of ISO-8601 timestamps. The form events carry, {@code 2025-11-22T03:15:30.250Z}
 * or with an offset such as {@code +09:00}, is read by hand: java.time's general parser took about 7%
 * of the stream thread's time in a profile of the pipeline. Anything else (other layouts, fields out of
 * range, leap seconds, 24:00) goes to java.time, which decides; either way the result is what
 * {@link Instant#parse} or {@link OffsetDateTime#parse} gives.
 */
public final class IsoTimestamps {
    /** What {@link #common} returns for text it leaves to java.time; no 4-digit year maps to it. */
    static final long NOT_COMMON = Long.MIN_VALUE;

    private IsoTimestamps() {
    }

    /** Milliseconds since the epoch (the fraction beyond them truncated); throws DateTimeParseException. */
    public static long epochMillis(String text) {
        long common = common(text);
        return common != NOT_COMMON ? common : javaTime(text);
    }

    static long javaTime(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.1-9 digits](Z|±HH:mm)} with every field in range, else {@link #NOT_COMMON}. */
    static long common(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return NOT_COMMON;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
                || day > Month.of(month).length(Year.isLeap(year)) || hour > 23 || minute > 59 || second > 59) {
            return NOT_COMMON;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i++) - '0');
            }
            if (i == start || (i < n && isDigit(s.charAt(i)))) {
                return NOT_COMMON; // no digits, or more than nine
            }
            for (int width = i - start; width < 9; width++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int hours = digits(s, i + 1, 2);
            int minutes = digits(s, i + 4, 2);
            if ((hours | minutes) < 0 || minutes > 59 || hours * 60 + minutes > 18 * 60) {
                return NOT_COMMON;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return NOT_COMMON;
        }
        long seconds = LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds;
        return seconds * 1000 + nanos / 1_000_000;
    }

    /** The non-negative number in {@code s[from, from + count)}, or -1 when a character is not an ASCII digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
