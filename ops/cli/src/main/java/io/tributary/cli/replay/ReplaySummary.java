package io.tributary.cli.replay;

import io.tributary.schemas.lake.LakePath.HourPartition;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** What a replay did, hour by hour, printed at its end. */
final class ReplaySummary {
    /** One hour: records read, rows before and after, objects replaced and added, dead letters, and what happened. */
    record Hour(HourPartition hour, long records, long rowsBefore, long rowsAfter, int replaced, int added, long deadLetters,
            String outcome) {
    }

    private final List<Hour> hours = new ArrayList<>();

    void add(Hour hour) {
        hours.add(hour);
    }

    List<Hour> hours() {
        return hours;
    }

    long refused() {
        return hours.stream().filter(h -> h.outcome().startsWith("refused")).count();
    }

    void print(PrintWriter out) {
        out.printf("%-14s %10s %11s %10s %9s %6s %7s  %s%n", "hour", "records", "rows before", "rows after", "replaced", "added",
                "dead", "outcome");
        for (Hour h : hours) {
            out.printf("%-14s %,10d %,11d %,10d %9d %6d %,7d  %s%n", h.hour(), h.records(), h.rowsBefore(), h.rowsAfter(),
                    h.replaced(), h.added(), h.deadLetters(), h.outcome());
        }
        long changed = hours.stream().filter(h -> h.outcome().equals("replaced")).count();
        out.printf("%d of %d hours replaced, %d unchanged, %d refused; %,d records read, %,d dead letters%n", changed, hours.size(),
                hours.stream().filter(h -> h.outcome().equals("unchanged")).count(), refused(),
                hours.stream().mapToLong(Hour::records).sum(), hours.stream().mapToLong(Hour::deadLetters).sum());
        out.flush();
    }
}
