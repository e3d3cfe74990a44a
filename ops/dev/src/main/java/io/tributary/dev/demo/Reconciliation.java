package io.tributary.dev.demo;

import io.tributary.cli.lake.LocalLake;
import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks of what the lake holds against what was sent: each prints one {@code OK}/{@code FAIL} line
 * with the expected and found figures, and the failures are collected for the exit code.
 */
public final class Reconciliation {
    private final LocalLake lake;
    private final PrintWriter out;
    private final List<String> mismatches = new ArrayList<>();

    public Reconciliation(LocalLake lake, PrintWriter out) {
        this.lake = lake;
        this.out = out;
    }

    public void check(String what, long expected, long actual) {
        boolean ok = expected == actual;
        out.printf("  %s %s: expected %,d, found %,d%n", ok ? "OK  " : "FAIL", what, expected, actual);
        if (!ok) {
            mismatches.add(what + ": expected " + expected + ", found " + actual);
        }
    }

    /** A check whose failures are listed: OK when {@code differences} is empty, else FAIL with the first few. */
    public void check(String what, List<String> differences) {
        out.printf("  %s %s%s%n", differences.isEmpty() ? "OK  " : "FAIL", what,
                differences.isEmpty() ? "" : ": " + differences.size() + " differences");
        differences.stream().limit(5).forEach(d -> out.println("         " + d));
        if (!differences.isEmpty()) {
            mismatches.add(what + ": " + differences.size() + " differences, e.g. " + differences.get(0));
        }
    }

    /** Mismatches so far: empty when every check held. */
    public List<String> mismatches() {
        return List.copyOf(mismatches);
    }

    public long count(String sql) throws SQLException {
        try (Statement st = lake.connection().createStatement(); ResultSet r = st.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** One result row. */
    public interface Row {
        void accept(ResultSet r) throws SQLException;
    }

    public void query(String sql, Row row) throws SQLException {
        try (Statement st = lake.connection().createStatement(); ResultSet r = st.executeQuery(sql)) {
            while (r.next()) {
                row.accept(r);
            }
        }
    }
}
