package io.tributary.dev.demo;

import io.tributary.cli.common.TributaryHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The demo's business database {@code shop}: {@code masters} (source types with Japanese display
 * names), {@code users}, {@code transactions}, and Debezium's signal table, with seed rows; plus
 * the changes the demo makes while the pipeline runs.
 */
public final class ShopDatabase implements AutoCloseable {
    public static final String DATABASE = "shop";
    /** id, code, display name, category of the seeded source types. */
    public static final List<String[]> MASTERS = List.of(
            new String[] {"1", "web", "ウェブサイト", "オンライン"},
            new String[] {"2", "app", "スマホアプリ", "オンライン"},
            new String[] {"3", "store", "実店舗", "オフライン"},
            new String[] {"4", "call", "コールセンター", "オフライン"},
            new String[] {"5", "partner", "提携サイト", "オンライン"});
    public static final int USERS = 50;
    /** The schema, shared with compose.yaml's setup service, which runs it on MySQL. */
    public static final String SCHEMA = "devstack/compose/shop.sql";

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private Connection connection;

    private ShopDatabase(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /** Connects as the admin user; {@code jdbcUrl} points at the server, not a database. */
    public static ShopDatabase connect(String jdbcUrl, String user, String password) throws SQLException {
        ShopDatabase shop = new ShopDatabase(jdbcUrl, user, password);
        shop.db();
        return shop;
    }

    /** The connection, opened again when the server was restarted since. */
    private Connection db() throws SQLException {
        if (connection == null || !connection.isValid(2)) {
            connection = DriverManager.getConnection(jdbcUrl, user, password);
        }
        return connection;
    }

    /** Drops and creates the {@code shop} database with its tables ({@link #SCHEMA}) and seed rows. */
    public void create() throws SQLException {
        try (Statement st = db().createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DATABASE);
            for (String statement : schemaStatements()) {
                st.execute(statement);
            }
        }
        try (PreparedStatement m = db().prepareStatement("INSERT INTO shop.masters VALUES (?, ?, ?, ?)");
             PreparedStatement u = db().prepareStatement("INSERT INTO shop.users VALUES (?, ?, ?)")) {
            for (String[] row : MASTERS) {
                m.setLong(1, Long.parseLong(row[0]));
                m.setString(2, row[1]);
                m.setString(3, row[2]);
                m.setString(4, row[3]);
                m.addBatch();
            }
            m.executeBatch();
            for (int i = 0; i < USERS; i++) {
                u.setString(1, userId(i));
                u.setString(2, "ユーザー" + i);
                u.setString(3, "user" + i + "@example.jp");
                u.addBatch();
            }
            u.executeBatch();
        }
    }

    /** The statements of {@link #SCHEMA} in the checkout: each ends with ';' at the end of a line; '--' lines are comments. */
    static List<String> schemaStatements() {
        Path file = TributaryHome.root().resolve(SCHEMA);
        try {
            String sql = Files.readAllLines(file).stream().filter(l -> !l.stripLeading().startsWith("--"))
                    .collect(Collectors.joining("\n"));
            return Arrays.stream(sql.split(";\\s*(\\n|$)")).map(String::strip).filter(st -> !st.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the shop schema " + file + ": " + e.getMessage(), e);
        }
    }

    public static String userId(int i) {
        return "u-" + i;
    }

    /** Inserts a transaction; returns its id. */
    public long insertTransaction(String userId, long sourceTypeId, BigDecimal amount) throws SQLException {
        try (PreparedStatement p = db().prepareStatement("INSERT INTO shop.transactions (user_id, source_type_id, amount, "
                + "currency, status) VALUES (?, ?, ?, 'JPY', 'pending')", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, userId);
            p.setLong(2, sourceTypeId);
            p.setBigDecimal(3, amount);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public void updateTransactionStatus(long id, String status) throws SQLException {
        execute("UPDATE shop.transactions SET status = ? WHERE id = ?", status, id);
    }

    public void deleteTransaction(long id) throws SQLException {
        execute("DELETE FROM shop.transactions WHERE id = ?", id);
    }

    public void renameMaster(long id, String displayName) throws SQLException {
        execute("UPDATE shop.masters SET display_name = ? WHERE id = ?", displayName, id);
    }

    /** Sets a column of one transaction (the column added while the pipeline runs). */
    public void setTransactionColumn(long id, String column, String value) throws SQLException {
        execute("UPDATE shop.transactions SET " + column + " = ? WHERE id = ?", value, id);
    }

    /** Adds a nullable column to a table, as a schema change while the pipeline runs. */
    public void addColumn(String table, String column, String type) throws SQLException {
        try (Statement st = db().createStatement()) {
            st.execute("ALTER TABLE " + DATABASE + "." + table + " ADD COLUMN " + column + " " + type + " NULL");
        }
    }

    public Timestamp now() throws SQLException {
        try (Statement st = db().createStatement(); ResultSet r = st.executeQuery("SELECT CURRENT_TIMESTAMP(3)")) {
            r.next();
            return r.getTimestamp(1);
        }
    }

    private void execute(String sql, Object... params) throws SQLException {
        try (PreparedStatement p = db().prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i]);
            }
            p.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }
}
