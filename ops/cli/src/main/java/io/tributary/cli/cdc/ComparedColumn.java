package io.tributary.cli.cdc;

/**
 * A column both the source table and its lake table have: its name in each, and its type in each
 * (the database's {@code DATA_TYPE} and {@code COLUMN_TYPE}, DuckDB's name of the Parquet column's type).
 */
record ComparedColumn(String name, String lakeName, String dbType, String dbColumnType, String lakeType) {
}
