package io.tributary.cli.cdc;

import java.util.List;
import java.util.Set;

/**
 * What {@code cdc verify} found for one table: the rows each side holds, how many key ranges it
 * compared and how many differed, and the keys (as text, {@code |} between key columns) that are
 * missing from the lake, in the lake but not the database, or different; keys whose database row kept
 * changing while it looked are reported apart, not judged.
 */
public record Divergence(String table, long databaseRows, long lakeRows, int ranges, int differingRanges,
        Set<String> missing, Set<String> extra, Set<String> different, Set<String> changing) {

    public int divergentRows() {
        return missing.size() + extra.size() + different.size();
    }

    /** Keys a Debezium snapshot can heal: those the database has. */
    Set<String> toSnapshot() {
        Set<String> keys = new java.util.TreeSet<>(CdcVerifier.KEY_ORDER);
        keys.addAll(missing);
        keys.addAll(different);
        return keys;
    }

    List<String> lines() {
        List<String> out = new java.util.ArrayList<>();
        out.add(String.format("%s: %,d rows in the database, %,d current rows in the lake, %,d key ranges compared, "
                + "%,d differ: %s", table, databaseRows, lakeRows, ranges, differingRanges,
                divergentRows() == 0 ? "OK" : divergentRows() + " divergent rows"));
        add(out, "missing from the lake", missing);
        add(out, "in the lake but deleted in the database", extra);
        add(out, "different in the lake", different);
        add(out, "changing while verified (not judged; verify again)", changing);
        return out;
    }

    private static void add(List<String> out, String what, Set<String> keys) {
        if (!keys.isEmpty()) {
            out.add(String.format("  %s: %,d keys: %s", what, keys.size(),
                    String.join(", ", keys.stream().limit(50).toList()) + (keys.size() > 50 ? ", ..." : "")));
        }
    }
}
