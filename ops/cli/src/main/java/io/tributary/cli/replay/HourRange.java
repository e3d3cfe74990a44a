package io.tributary.cli.replay;

import io.tributary.cli.common.CliError;
import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The hours a replay covers, {@code [from, to)}, written as on the command line:
 * {@code 2026-11-01T00} (a UTC hour), or any ISO-8601 time on an hour boundary.
 */
public record HourRange(HourPartition from, HourPartition to) {
    public HourRange {
        if (from.compareTo(to) >= 0) {
            throw new CliError("--to " + to + " must be after --from " + from);
        }
    }

    public static HourRange parse(String from, String to) {
        return new HourRange(hour(from, "--from"), hour(to, "--to"));
    }

    /** A UTC hour: {@code 2026-11-01T00}, {@code 2026-11-01T00:00}, {@code 2026-11-01T00:00:00Z}. */
    static HourPartition hour(String text, String flag) {
        String t = text.trim();
        try {
            LocalDateTime time = t.length() == 13 ? LocalDateTime.parse(t + ":00")
                    : java.time.OffsetDateTime.parse(t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$") ? t : t + "Z")
                            .withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            if (time.getMinute() != 0 || time.getSecond() != 0 || time.getNano() != 0) {
                throw new CliError(flag + " " + text + " is not on an hour boundary: replays cover whole hours");
            }
            return LakePath.hourOf(time.toInstant(ZoneOffset.UTC).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw new CliError(flag + " " + text + " is not an hour: write e.g. 2026-11-01T00 (UTC)");
        }
    }

    /** Every hour of the range, in order. */
    public List<HourPartition> hours() {
        List<HourPartition> out = new ArrayList<>();
        for (HourPartition h = from; h.compareTo(to) < 0; h = h.next()) {
            out.add(h);
        }
        return out;
    }

    public boolean contains(HourPartition hour) {
        return hour.compareTo(from) >= 0 && hour.compareTo(to) < 0;
    }

    /** This range starting {@code hours} earlier (a CDC replay's warm-up). */
    public HourRange widenedBy(int hours) {
        return new HourRange(LakePath.hourOf(from.startMillis() - hours * 3_600_000L), to);
    }

    @Override
    public String toString() {
        return from + " .. " + to;
    }
}
