package io.tributary.cli.lake;

import io.tributary.schemas.contract.CurrentState;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one SQL definition of a CDC table's current state, for Athena/Trino ({@code <table>_current}
 * views) and DuckDB ({@code tributary query}, {@code cdc verify}): both engines accept it as it is,
 * only the table reference differs. Each key's changes are ranked newest first by {@code _source_pos}
 * (binlog order; a key's several changes in one second stay ordered), rows from before that column
 * existed by {@code _source_ts}; the newest is kept unless it is a delete.
 */
public final class CurrentView {
    /** The rank column the ranked changes carry; 1 is each key's latest change. */
    public static final String RANK = "_rn";
    /** The condition on ranked changes that leaves each key's current row. */
    public static final String CURRENT = quote(RANK) + " = 1 AND NOT " + quote(CurrentState.DELETED);

    private CurrentView() {
    }

    /** Every change of {@code from} with its rank among its key's changes. */
    public static String ranked(String from, List<String> key) {
        return "SELECT *, row_number() OVER (PARTITION BY " + key.stream().map(CurrentView::quote).collect(Collectors.joining(", "))
                + " ORDER BY " + quote(CurrentState.SOURCE_POS) + " DESC NULLS LAST, " + quote(CurrentState.SOURCE_TS)
                + " DESC) AS " + quote(RANK) + " FROM " + from;
    }

    /** The view body: {@code columns} of each key's current row. */
    public static String select(String from, List<String> key, List<String> columns) {
        return "SELECT " + columns.stream().map(CurrentView::quote).collect(Collectors.joining(", ")) + "\nFROM (\n  "
                + ranked(from, key) + "\n) AS changes\nWHERE " + CURRENT;
    }

    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
