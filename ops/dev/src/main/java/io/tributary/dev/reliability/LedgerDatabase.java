package io.tributary.dev.reliability;

import io.tributary.dev.cdc.SignalTable;
import io.tributary.dev.demo.ShopDatabase;
import io.tributary.devstack.StackConfig;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The source database of a fault run: the demo's masters (events are enriched from them) and an
 * {@code orders} table that a steady load changes in single- and multi-row transactions of inserts,
 * updates and deletes. Every transaction also appends what it changed to {@code change_ledger}, in
 * the same database transaction and outside the captured tables, so that after any crash (of the
 * database too) the ledger says exactly which changes committed. Each update raises the row's
 * {@code version}, which makes every change of a row tell apart from the others in the lake.
 */
public final class LedgerDatabase implements AutoCloseable {
    public static final String TABLE = "orders";
    private static final String[] STATUSES = {"pending", "paid", "shipped", "refunded"};

    /** One committed change: the row, Debezium's operation (c, u, d), and the row's version after it (before, for d). */
    public record Change(long id, String op, int version) {
    }

    /** A row as the database holds it. */
    public record Row(long id, String status, BigDecimal amount, int version) {
    }

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Random random;
    private final List<Long> live = new ArrayList<>();
    private Connection connection;
    private long failedTransactions;

    private LedgerDatabase(String jdbcUrl, String user, String password, long seed) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.random = new Random(seed);
    }

    /** Creates {@code database} on the local stack's MariaDB, with its tables and the seeded masters. */
    public static LedgerDatabase create(StackConfig stack, String database, long seed) throws SQLException {
        String user = StackConfig.DB_ADMIN_USER;
        String password = StackConfig.DB_ADMIN_PASSWORD;
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), user, password); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            st.execute("USE `" + database + "`");
            st.execute("CREATE TABLE masters (id BIGINT PRIMARY KEY, code VARCHAR(32) NOT NULL, "
                    + "display_name VARCHAR(100) NOT NULL, category VARCHAR(50))");
            st.execute("CREATE TABLE " + TABLE + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, status VARCHAR(20) NOT NULL, "
                    + "amount DECIMAL(12,2) NOT NULL, version INT NOT NULL)");
            st.execute("CREATE TABLE change_ledger (seq BIGINT AUTO_INCREMENT PRIMARY KEY, row_id BIGINT NOT NULL, "
                    + "op CHAR(1) NOT NULL, version INT NOT NULL)");
            SignalTable.create(st, database, StackConfig.DB_CDC_USER);
            for (String[] m : ShopDatabase.MASTERS) {
                st.execute("INSERT INTO masters VALUES (" + m[0] + ", '" + m[1] + "', '" + m[2] + "', '" + m[3] + "')");
            }
        }
        // Short timeouts: while the database is down, a transaction fails fast and the load goes on.
        return new LedgerDatabase(stack.jdbcUrl(database) + "?connectTimeout=2000&socketTimeout=30000", user, password, seed);
    }

    /**
     * Runs one transaction of a random shape; returns the changes it committed, or 0 when it failed
     * (the database was down: the ledger tells whether it committed anyway, and the next call reconnects).
     */
    public int step() {
        try {
            Connection c = connection();
            List<Change> changes = switch (random.nextInt(20)) {
                case 0, 1, 2, 3, 4, 5, 6, 7 -> insert(c, 1);
                case 8, 9, 10 -> insert(c, 2 + random.nextInt(2)); // one statement: a multi-row binlog event
                case 11, 12, 13, 14, 15 -> update(c, 1 + random.nextInt(2));
                case 16, 17 -> delete(c);
                default -> mixed(c);
            };
            record(c, changes);
            c.commit();
            changes.forEach(ch -> {
                if ("c".equals(ch.op())) {
                    live.add(ch.id());
                } else if ("d".equals(ch.op())) {
                    live.remove(Long.valueOf(ch.id()));
                }
            });
            return changes.size();
        } catch (SQLException e) {
            failedTransactions++;
            closeQuietly();
            return 0;
        }
    }

    private List<Change> insert(Connection c, int rows) throws SQLException {
        String values = String.join(", ", java.util.Collections.nCopies(rows, "(?, ?, 1)"));
        List<Change> changes = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + TABLE + " (status, amount, version) VALUES "
                + values + " RETURNING id")) {
            for (int i = 0; i < rows; i++) {
                p.setString(2 * i + 1, STATUSES[0]);
                p.setBigDecimal(2 * i + 2, BigDecimal.valueOf(100 + random.nextInt(1_000_000), 2));
            }
            try (ResultSet ids = p.executeQuery()) {
                while (ids.next()) {
                    changes.add(new Change(ids.getLong(1), "c", 1));
                }
            }
        }
        return changes;
    }

    /** One UPDATE statement over up to {@code rows} live rows: one binlog event with a row each. */
    private List<Change> update(Connection c, int rows) throws SQLException {
        List<Long> ids = pick(rows);
        if (ids.isEmpty()) {
            return insert(c, 1);
        }
        String in = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
        List<Change> changes = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            try (ResultSet r = st.executeQuery("SELECT id, version FROM " + TABLE + " WHERE id IN (" + in + ") FOR UPDATE")) {
                while (r.next()) {
                    changes.add(new Change(r.getLong(1), "u", r.getInt(2) + 1));
                }
            }
            st.executeUpdate("UPDATE " + TABLE + " SET version = version + 1, status = '"
                    + STATUSES[1 + random.nextInt(STATUSES.length - 1)] + "' WHERE id IN (" + in + ")");
        }
        return changes;
    }

    private List<Change> delete(Connection c) throws SQLException {
        List<Long> ids = pick(1);
        if (ids.isEmpty()) {
            return insert(c, 1);
        }
        try (Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT version FROM " + TABLE + " WHERE id = " + ids.get(0) + " FOR UPDATE")) {
            if (!r.next()) {
                live.remove(ids.get(0));
                return insert(c, 1);
            }
            int version = r.getInt(1);
            st.executeUpdate("DELETE FROM " + TABLE + " WHERE id = " + ids.get(0));
            return List.of(new Change(ids.get(0), "d", version));
        }
    }

    /** An insert, an update and a delete in one transaction. */
    private List<Change> mixed(Connection c) throws SQLException {
        List<Change> changes = new ArrayList<>(insert(c, 1));
        changes.addAll(update(c, 1));
        changes.addAll(delete(c));
        return changes;
    }

    private List<Long> pick(int n) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n && !live.isEmpty(); i++) {
            Long id = live.get(random.nextInt(live.size()));
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static void record(Connection c, List<Change> changes) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO change_ledger (row_id, op, version) VALUES (?, ?, ?)")) {
            for (Change ch : changes) {
                p.setLong(1, ch.id());
                p.setString(2, ch.op());
                p.setInt(3, ch.version());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** Transactions that failed (the database was down); some may have committed, as the ledger shows. */
    public long failedTransactions() {
        return failedTransactions;
    }

    /** Every change that committed, in commit order. */
    public List<Change> ledger() throws SQLException {
        List<Change> out = new ArrayList<>();
        try (Statement st = connection().createStatement();
             ResultSet r = st.executeQuery("SELECT row_id, op, version FROM change_ledger ORDER BY seq")) {
            while (r.next()) {
                out.add(new Change(r.getLong(1), r.getString(2), r.getInt(3)));
            }
        }
        connection().commit();
        return out;
    }

    /** The table as it is now, by id. */
    public Map<Long, Row> rows() throws SQLException {
        Map<Long, Row> out = new HashMap<>();
        try (Statement st = connection().createStatement();
             ResultSet r = st.executeQuery("SELECT id, status, amount, version FROM " + TABLE)) {
            while (r.next()) {
                out.put(r.getLong(1), new Row(r.getLong(1), r.getString(2), r.getBigDecimal(3), r.getInt(4)));
            }
        }
        connection().commit();
        return out;
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(jdbcUrl, user, password);
            connection.setAutoCommit(false);
            live.clear(); // after a failure the database's word counts, not ours
            try (Statement st = connection.createStatement(); ResultSet r = st.executeQuery("SELECT id FROM " + TABLE)) {
                while (r.next()) {
                    live.add(r.getLong(1));
                }
            }
            connection.commit();
        }
        return connection;
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // the server is gone; the connection with it
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
