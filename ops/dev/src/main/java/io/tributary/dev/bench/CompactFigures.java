package io.tributary.dev.bench;

import io.tributary.cli.lake.LocalLake;
import io.tributary.dev.demo.HourObjects;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What `bench compact` measured at one rate, and the table it prints: per table-hour objects and bytes
 * before and after the compactor's pass, its throughput, the rows of each hour read back on both sides
 * (they must be equal), and the seed dashboard query in DuckDB on both sides.
 */
record CompactFigures(int rate, long rowsWritten, Side before, Side after, double compactSeconds, double compactCpuSeconds) {
    private static final double MIB = 1 << 20;

    /**
     * One side (before or after): objects per hour folder, rows per hour folder read back with DuckDB,
     * the dashboard query's median time, and the Parquet column-chunk bytes of the columns it reads
     * (what Athena bills, before its 10 MB per-query minimum) in how many files.
     */
    record Side(Map<String, HourObjects.Count> objects, Map<String, Long> rows, double queryMillis, long bytesRead, long filesRead) {
        static Side measure(Map<String, HourObjects.Count> objects, LocalLake lake, Path tableDir, int runs) throws SQLException, IOException {
            Map<String, Long> rows = new TreeMap<>();
            try (Statement st = lake.connection().createStatement()) {
                try (ResultSet r = st.executeQuery("SELECT dt, hour, count(*) FROM app_events GROUP BY 1, 2")) {
                    while (r.next()) {
                        rows.put(SimulatedSinkHours.TABLE + "/dt=" + r.getString(1) + "/hour=" + r.getString(2), r.getLong(3));
                    }
                }
                double[] millis = new double[runs];
                for (int i = -1; i < runs; i++) { // one warm-up run
                    long started = System.nanoTime();
                    try (ResultSet r = st.executeQuery(BenchCompactCommand.SEED_QUERY)) {
                        while (r.next()) {
                            r.getLong(3);
                        }
                    }
                    if (i >= 0) {
                        millis[i] = (System.nanoTime() - started) / 1e6;
                    }
                }
                Arrays.sort(millis);
                if (!Files.isDirectory(tableDir)) {
                    throw new IOException("no " + SimulatedSinkHours.TABLE + " objects were copied to " + tableDir);
                }
                try (ResultSet r = st.executeQuery("SELECT sum(total_compressed_size), count(DISTINCT file_name) FROM parquet_metadata('"
                        + tableDir + "/**/*.parquet') WHERE path_in_schema IN ('event_time', 'source_type_name')")) {
                    r.next();
                    return new Side(objects, rows, millis[runs / 2], r.getLong(1), r.getLong(2));
                }
            }
        }

        int objectCount() {
            return objects.values().stream().mapToInt(HourObjects.Count::objects).sum();
        }

        long bytes() {
            return objects.values().stream().mapToLong(HourObjects.Count::bytes).sum();
        }
    }

    /** Every hour holds the same rows after as before, and they are all the rows written. */
    boolean rowsMatch() {
        return before.rows.equals(after.rows) && before.rows.values().stream().mapToLong(Long::longValue).sum() == rowsWritten;
    }

    static void print(PrintWriter out, List<CompactFigures> results, int hours, int minutesPerHour, long targetBytes) {
        out.printf("%nPer app_events table-hour, averaged over %d hour(s); each hour got events during %d minute(s) "
                + "(measured, not scaled):%n", hours, minutesPerHour);
        out.printf("  %7s | %10s | %7s %10s %9s | %7s %10s %9s | %7s %7s %6s | %16s | %18s | %9s%n", "rate/s", "rows/hour",
                "objects", "MiB", "avg KiB", "objects", "MiB", "avg MiB", "MB/s", "CPU-s", "rows", "query ms", "query MiB read",
                "files");
        out.printf("  %7s | %10s | %-28s | %-28s | %-22s | %16s | %18s | %9s%n", "", "", "before compaction", "after compaction",
                "compaction", "before -> after", "before -> after", "b -> a");
        for (CompactFigures f : results) {
            double b = f.before.objectCount() / (double) hours;
            double a = f.after.objectCount() / (double) hours;
            out.printf("  %,7d | %,10d | %,7.1f %,10.1f %,9.1f | %,7.1f %,10.1f %,9.1f | %,7.1f %,7.1f %6s | %,7.0f -> %,6.0f | %,7.2f -> %,7.2f | %,4d -> %,d%n",
                    f.rate, f.rowsWritten / hours, b, f.before.bytes() / MIB / hours, f.before.bytes() / 1024.0 / f.before.objectCount(),
                    a, f.after.bytes() / MIB / hours, f.after.bytes() / MIB / f.after.objectCount(),
                    f.before.bytes() / 1e6 / f.compactSeconds, f.compactCpuSeconds, f.rowsMatch() ? "equal" : "DIFFER",
                    f.before.queryMillis, f.after.queryMillis, f.before.bytesRead / MIB, f.after.bytesRead / MIB,
                    f.before.filesRead, f.after.filesRead);
        }
        out.println("  (MB/s: input bytes / wall time of the pass; CPU-s: the compacting thread's CPU time; rows: every hour's "
                + "row count read back with DuckDB, before vs after; query: median of 5 runs of the seed dashboard query over a "
                + "local copy; MiB read: column-chunk bytes of event_time and source_type_name, what Athena bills)");
        if (minutesPerHour < 60) {
            double scale = 60.0 / minutesPerHour;
            out.printf("%nA full hour at the same rate, derived (not measured): objects and bytes before = measured x 60/%d; "
                    + "objects after = ceil(bytes before / %d MiB target), since the compactor starts a new object once its inputs "
                    + "reach the target; bytes after = measured x 60/%d:%n", minutesPerHour, targetBytes >> 20, minutesPerHour);
            for (CompactFigures f : results) {
                double before = f.before.bytes() * scale / hours;
                long objects = Math.max(1, (long) Math.ceil(before / targetBytes));
                double after = f.after.bytes() * scale / hours;
                out.printf("  %,7d/s: before %,.0f objects, %,.1f MiB (avg %,.1f KiB); after %,d object(s), %,.1f MiB (avg %,.1f MiB)%n",
                        f.rate, f.before.objectCount() * scale / hours, before / MIB, before / 1024 / (f.before.objectCount() * scale / hours),
                        objects, after / MIB, after / MIB / objects);
            }
        }
        results.stream().filter(f -> f.rate == 5000).findFirst().ifPresent(f -> out.printf("%nGoal (issue 19): average object of a "
                + "closed hour >= 32 MiB at 5,000 events/s: measured %.1f MiB%s%n", f.after.bytes() / MIB / f.after.objectCount(),
                minutesPerHour < 60 ? " over " + minutesPerHour + "-minute hours (a full hour: see the derived line)" : ""));
    }

    static String loadAverage() {
        try {
            return Objects.requireNonNull(Files.readString(Path.of("/proc/loadavg")).trim());
        } catch (IOException e) {
            return String.format("%.2f (1 min)", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
