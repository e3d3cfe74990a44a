package io.tributary.schemas.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * The current-state forms of a CDC table, derived from its changelog: the view {@code <table>_current}
 * (the latest row of each primary key, deletes removed) and the table {@code <table>_snapshot}
 * (the same as of the end of each UTC day, partitioned by {@code dt}). Both hold the changelog's
 * columns without those that describe a change rather than the row ({@code _op}, {@code _deleted});
 * {@code _source_ts} and {@code _source_pos} stay and say which change the row is as of.
 * "Latest" is by {@code _source_pos} (binlog order, unambiguous when a row changes several times in
 * one second), then {@code _source_ts} for rows written before the position existed.
 */
public final class CurrentState {
    public static final String CURRENT_SUFFIX = "_current";
    public static final String SNAPSHOT_SUFFIX = "_snapshot";
    public static final String OP = "_op";
    public static final String DELETED = "_deleted";
    public static final String SOURCE_TS = "_source_ts";
    public static final String SOURCE_POS = "_source_pos";
    /** Changelog columns that describe the change, not the row: not part of current state. */
    public static final Set<String> CHANGE_COLUMNS = Set.of(OP, DELETED);
    /** The primary key of each CDC table the contracts ship (the columns of its Debezium key). */
    private static final Map<String, List<String>> KEYS = Map.of(Contracts.TRANSACTIONS, List.of("id"), Contracts.MASTERS, List.of("id"));

    private CurrentState() {
    }

    /** The CDC tables with a current state, in contract order. */
    public static List<String> tables() {
        return Contracts.TABLES.stream().filter(KEYS::containsKey).toList();
    }

    /** The primary key columns of a CDC table; empty for a table that is not one. */
    public static Optional<List<String>> key(String table) {
        return Optional.ofNullable(KEYS.get(table));
    }

    public static String currentView(String table) {
        return table + CURRENT_SUFFIX;
    }

    public static String snapshotTable(String table) {
        return table + SNAPSHOT_SUFFIX;
    }

    /** The columns of the current state, in changelog order. */
    public static List<String> columns(Schema changelog) {
        return changelog.getFields().stream().map(Schema.Field::name).filter(n -> !CHANGE_COLUMNS.contains(n)).toList();
    }

    /** The schema of {@code <table>_snapshot} rows: the changelog's fields but the change columns. */
    public static Schema snapshotSchema(String table, Schema changelog) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : changelog.getFields()) {
            if (!CHANGE_COLUMNS.contains(f.name())) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(changelog.getName() + "Snapshot",
                "State of the table " + table + " at the end of the UTC day dt: the latest row of each primary key by "
                        + SOURCE_POS + ", deleted rows left out. Built by `tributary compact` from the previous day's snapshot "
                        + "and the day's changes once the day is closed. Lake table " + snapshotTable(table) + ".",
                changelog.getNamespace(), false, fields);
    }
}
