package io.tributary.cli.cdc;

import java.util.List;

/**
 * A captured table as {@code cdc verify} compares it: where it is in the database and the lake, its
 * primary key, the columns both sides have (a column added to the source is compared once a change
 * has carried it into the lake), and how its rows are split into ranges.
 */
public record VerifiedTable(String database, String table, String lakeTable, List<ComparedColumn> key,
        List<ComparedColumn> columns, KeyRanges ranges) {

    String qualified() {
        return "`" + database + "`.`" + table + "`";
    }

    /** {@code database.table}, as Debezium names a data collection. */
    String dataCollection() {
        return database + "." + table;
    }
}
