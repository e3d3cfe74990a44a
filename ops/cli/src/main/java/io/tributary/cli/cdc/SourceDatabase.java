package io.tributary.cli.cdc;

import io.tributary.cli.common.CliError;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MySQL or MariaDB database a CDC connector captures, as {@code cdc verify} reads it: only plain
 * SELECTs (consistent reads, which take no locks in InnoDB) that return checksums per key range, and
 * per-key hashes only for ranges whose checksums differ. Its one write is Debezium's signal row.
 */
public final class SourceDatabase implements AutoCloseable {
    private final Connection connection;

    public SourceDatabase(String jdbcUrl, String user, String password) {
        try {
            connection = DriverManager.getConnection(jdbcUrl, user, password);
            try (Statement st = connection.createStatement()) {
                st.execute("SET SESSION time_zone = '+00:00'"); // TIMESTAMP columns as UTC, as Debezium sends them
            }
        } catch (SQLException e) {
            throw new CliError("Cannot connect to the source database at " + jdbcUrl + " as " + user + ": "
                    + e.getMessage() + ". Check --jdbc-url, --db-user and the password variable.", e);
        }
    }

    /** Column name to {DATA_TYPE, COLUMN_TYPE}, in table order; empty when the table does not exist. */
    Map<String, String[]> columns(String database, String table) throws SQLException {
        Map<String, String[]> out = new LinkedHashMap<>();
        try (PreparedStatement p = connection.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM "
                + "information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            p.setString(1, database);
            p.setString(2, table);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), new String[] {r.getString(2), r.getString(3)});
                }
            }
        }
        return out;
    }

    /** The primary key's columns, in key order. */
    List<String> primaryKey(String database, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = connection.prepareStatement("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION")) {
            p.setString(1, database);
            p.setString(2, table);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    /** Row count and hash XOR per key range: one pass over the table, returning only the aggregates. */
    public Map<Long, RangeChecksum> checksums(VerifiedTable t) throws SQLException {
        Map<Long, RangeChecksum> out = new HashMap<>();
        String sql = "SELECT " + t.ranges().databaseRange() + " AS r, COUNT(*), CAST(BIT_XOR("
                + RowText.databaseHash(t.columns()) + ") AS CHAR) FROM " + t.qualified() + " GROUP BY r";
        try (Statement st = connection.createStatement(); ResultSet r = st.executeQuery(sql)) {
            while (r.next()) {
                out.put(r.getLong(1), new RangeChecksum(r.getLong(2), r.getString(3)));
            }
        }
        return out;
    }

    /** Key text to row hash for the rows matching {@code condition}. */
    Map<String, String> rowHashes(VerifiedTable t, String condition) throws SQLException {
        Map<String, String> out = new HashMap<>();
        String sql = "SELECT " + RowText.databaseKey(t.key()) + ", CAST(" + RowText.databaseHash(t.columns())
                + " AS CHAR) FROM " + t.qualified() + " WHERE " + condition;
        try (Statement st = connection.createStatement(); ResultSet r = st.executeQuery(sql)) {
            while (r.next()) {
                out.put(r.getString(1), r.getString(2));
            }
        }
        return out;
    }

    /** The binlog file and position the server writes next (SHOW MASTER STATUS, or SHOW BINARY LOG STATUS on MySQL 8.4). */
    String[] binlogPosition() throws SQLException {
        for (String sql : new String[] {"SHOW BINARY LOG STATUS", "SHOW MASTER STATUS"}) {
            try (Statement st = connection.createStatement(); ResultSet r = st.executeQuery(sql)) {
                if (r.next()) {
                    return new String[] {r.getString(1), r.getString(2)};
                }
            } catch (SQLException e) {
                // the other spelling
            }
        }
        throw new CliError("The source database shows no binlog position (SHOW BINARY LOG STATUS / SHOW MASTER "
                + "STATUS); the user needs REPLICATION CLIENT (BINLOG MONITOR on MariaDB)");
    }

    /** Inserts a Debezium signal row (the connector's signal.data.collection). */
    void signal(String signalTable, String id, String type, String data) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("INSERT INTO " + signalTable + " (id, type, data) VALUES (?, ?, ?)")) {
            p.setString(1, id);
            p.setString(2, type);
            p.setString(3, data);
            p.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
