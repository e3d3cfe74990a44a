package io.tributary.cli.cdc;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a table's rows are split into ranges that are checksummed, then compared key by key where the
 * checksums differ. A single integer primary key is cut into ranges of {@code size} consecutive keys,
 * which the database reads by index; any other key goes into 1024 buckets by the hash of its text
 * (a drill-down then scans the table once).
 */
final class KeyRanges {
    private static final int BUCKETS = 1024;
    private static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");

    private final List<ComparedColumn> key;
    private final long size;
    private final boolean numeric;

    KeyRanges(List<ComparedColumn> key, long size) {
        this.key = key;
        this.size = size;
        this.numeric = key.size() == 1 && INTEGERS.contains(key.get(0).dbType().toLowerCase(Locale.ROOT));
    }

    /** True when ranges are runs of consecutive integer keys (what --heal can name as BETWEEN conditions). */
    boolean numeric() {
        return numeric;
    }

    String databaseRange() {
        return numeric ? "FLOOR(`" + key.get(0).name() + "` / " + size + ")"
                : "CONV(LEFT(MD5(" + RowText.databaseKey(key) + "), 4), 16, 10) % " + BUCKETS;
    }

    String lakeRange() {
        return numeric ? "CAST(floor(\"" + key.get(0).lakeName() + "\" / " + size + ") AS BIGINT)"
                : "(('0x' || left(md5(" + RowText.lakeKey(key) + "), 4))::INTEGER % " + BUCKETS + ")";
    }

    /** A condition selecting the rows of these ranges, in the database's SQL. */
    String databaseIn(Set<Long> ranges) {
        return numeric ? between("`" + key.get(0).name() + "`", ranges) : databaseRange() + " IN " + list(ranges);
    }

    String lakeIn(Set<Long> ranges) {
        return numeric ? between("\"" + key.get(0).lakeName() + "\"", ranges) : lakeRange() + " IN " + list(ranges);
    }

    private String between(String column, Set<Long> ranges) {
        return "(" + ranges.stream().map(r -> column + " BETWEEN " + r * size + " AND " + (r * size + size - 1))
                .collect(Collectors.joining(" OR ")) + ")";
    }

    private static String list(Set<Long> ranges) {
        return "(" + ranges.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
    }
}
