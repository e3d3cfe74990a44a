package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.CliRun;
import io.tributary.cli.common.Settings;
import io.tributary.cli.compact.Compactor;
import io.tributary.dev.demo.ShopDatabase;
import io.tributary.lake.store.S3Storage;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.lake.LakePath;
import io.tributary.testing.DevStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The current state of {@code shop.transactions} on the real path (MariaDB binlog, Debezium, the
 * streams app, the S3 sink) equals the table in MariaDB exactly. A known sequence runs on rows of an
 * id range of its own: multi-row transactions, three updates of one row in one second (MariaDB's
 * binlog times are whole seconds: only {@code _source_pos} orders them), two updates of one row in
 * one transaction, a multi-row update, deletes, a delete and re-insert of one key in one second and
 * a key inserted, updated and deleted in one second. Then {@code transactions_current}
 * ({@code tributary query}) equals {@code SELECT * FROM shop.transactions}, every column of every
 * key (the demo's rows included); and {@code transactions_snapshot} of the day, built by a
 * compaction pass over a copy of the table's objects (with a clock on the next day, so that the day
 * is closed; a copy, so that the shared stack's lake stays as the pipeline wrote it), equals it too.
 */
final class CurrentStateCheck {
    private static final long FIRST = 9_000_001;
    private static final LakePath PATHS = new LakePath("lake");

    private final DevStack stack;
    private final Settings local;
    /** Row changes committed (each is one changelog row in the lake). */
    private int changes;

    CurrentStateCheck(DevStack stack, Settings local) {
        this.stack = stack;
        this.local = local;
    }

    void run(Path work) throws Exception {
        long started = System.nanoTime();
        try (Connection db = stack.jdbc(ShopDatabase.DATABASE)) {
            applySequence(db);
            awaitChangelog(Duration.ofMinutes(2));
            // The cases the order of changes decides did happen within one second each.
            assertThat(queryOne("SELECT max(n) FROM (SELECT count(*) AS n FROM transactions WHERE id = " + (FIRST + 1)
                    + " AND _op = 'u' GROUP BY _source_ts)")).as("updates of one row in one second").isEqualTo("3");
            assertThat(queryOne("SELECT count(DISTINCT _source_ts) FROM transactions WHERE id = " + (FIRST + 5)
                    + " AND epoch_ms(_source_ts) >= (SELECT epoch_ms(max(_source_ts)) FROM transactions WHERE id = " + (FIRST + 5)
                    + " AND _op = 'd')")).as("the delete and re-insert of one key in one second").isEqualTo("1");

            Map<Long, List<String>> table = databaseRows(db);
            assertThat(table).as("the sequence's rows").containsKeys(FIRST, FIRST + 1, FIRST + 3, FIRST + 5, FIRST + 6)
                    .doesNotContainKeys(FIRST + 2, FIRST + 4, FIRST + 7);
            assertThat(lakeRows(db, stack.config().bucket(), "transactions_current")).as("transactions_current = shop.transactions")
                    .isEqualTo(table);

            LocalDate day = LocalDate.now(ZoneOffset.UTC);
            String copy = copyOfTheChangelog();
            // Not closed: closing it would close the stack's S3 client, which the other tests of this JVM share.
            Compactor compactor = new Compactor(new S3Storage(stack.s3(), copy, 16 << 20, "", ""), PATHS, Files.createDirectories(work),
                    new Compactor.Settings(128 << 20, Duration.ofMinutes(10), Duration.ofDays(2), Duration.ofMinutes(2), Duration.ofHours(1)),
                    Clock.fixed(day.plusDays(1).atTime(2, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
            Compactor.Pass pass = compactor.pass(List.of(Contracts.TRANSACTIONS));
            System.out.println("compaction pass over a copy of the transactions changelog, a day later: " + pass);
            assertThat(pass.snapshotDays()).as("snapshot days built").isPositive();
            assertThat(lakeRows(db, copy, "transactions_snapshot WHERE dt = '" + day + "'"))
                    .as("transactions_snapshot of %s = shop.transactions at the end of the day", day).isEqualTo(table);
            System.out.printf("Current state = shop.transactions (%d rows, %d changes of the sequence): checked in %.1f s%n",
                    table.size(), changes, (System.nanoTime() - started) / 1e9);
        }
    }

    private void applySequence(Connection db) throws SQLException {
        long a = FIRST;
        transaction(db, "INSERT INTO transactions (id, user_id, source_type_id, amount, currency, status) VALUES "
                        + values(a, "pending", "10.00") + ", " + values(a + 1, "pending", "20.00") + ", " + values(a + 2, "pending", "30.00"),
                "INSERT INTO transactions (id, user_id, source_type_id, amount, currency, status) VALUES " + values(a + 3, "pending", "40.00"),
                "INSERT INTO transactions (id, user_id, source_type_id, amount, currency, status, created_at) VALUES ("
                        + (a + 4) + ", 'cs-5', 2, 50.00, 'USD', 'pending', '2026-01-02 03:04:05.678')",
                "INSERT INTO transactions (id, user_id, source_type_id, amount, currency, status) VALUES " + values(a + 5, "pending", "60.00"));
        inOneSecond(db, "UPDATE transactions SET status = 'paid' WHERE id = " + (a + 1),
                "UPDATE transactions SET status = 'refunded' WHERE id = " + (a + 1),
                "UPDATE transactions SET status = 'chargeback', amount = 19.50 WHERE id = " + (a + 1));
        transaction(db, "UPDATE transactions SET status = 'packed' WHERE id = " + (a + 3),
                "UPDATE transactions SET status = 'shipped', channel = 'app' WHERE id = " + (a + 3),
                "UPDATE transactions SET channel = 'app' WHERE id = " + (a + 4));
        transaction(db, "DELETE FROM transactions WHERE id = " + (a + 2));
        inOneSecond(db, "DELETE FROM transactions WHERE id = " + (a + 5),
                "INSERT INTO transactions (id, user_id, source_type_id, amount, currency, status, channel) VALUES ("
                        + (a + 5) + ", 'cs-6b', 3, 66.00, 'EUR', 'reborn', 'web')");
        transaction(db, "UPDATE transactions SET amount = 11.11 WHERE id = " + a,
                "DELETE FROM transactions WHERE id = " + (a + 4),
                "INSERT INTO transactions (id, user_id, source_type_id, amount, currency, status) VALUES " + values(a + 6, "pending", "70.00"));
        inOneSecond(db, "INSERT INTO transactions (id, user_id, source_type_id, amount, currency, status) VALUES " + values(a + 7, "pending", "80.00"),
                "UPDATE transactions SET status = 'paid' WHERE id = " + (a + 7),
                "DELETE FROM transactions WHERE id = " + (a + 7));
        transaction(db, "UPDATE transactions SET status = 'settled' WHERE id IN (" + a + ", " + (a + 6) + ")");
    }

    private static String values(long id, String status, String amount) {
        return "(" + id + ", 'cs-" + (id - FIRST + 1) + "', " + (id % 3 + 1) + ", " + amount + ", 'JPY', '" + status + "')";
    }

    /** The statements as one transaction. */
    private void transaction(Connection db, String... statements) throws SQLException {
        db.setAutoCommit(false);
        try (Statement st = db.createStatement()) {
            for (String sql : statements) {
                changes += st.executeUpdate(sql);
            }
            db.commit();
        } finally {
            db.setAutoCommit(true);
        }
    }

    /**
     * The statements, each its own transaction, all with one binlog timestamp: started right after a
     * second began, and run again (they are repeatable) in the rare case that the database's clock
     * passed a second meanwhile.
     */
    private void inOneSecond(Connection db, String... statements) throws SQLException {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                Thread.sleep(1050 - System.currentTimeMillis() % 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            long before = databaseSecond(db);
            for (String sql : statements) {
                transaction(db, sql);
            }
            if (databaseSecond(db) == before) {
                return;
            }
        }
        throw new AssertionError("Could not run " + Arrays.toString(statements) + " within one second");
    }

    private static long databaseSecond(Connection db) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet r = st.executeQuery("SELECT UNIX_TIMESTAMP()")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Waits until every change of the sequence is in the lake; then there must be exactly as many changelog rows. */
    private void awaitChangelog(Duration timeout) throws InterruptedException {
        String count = "SELECT count(*) FROM transactions WHERE id BETWEEN " + FIRST + " AND " + (FIRST + 99);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Integer.parseInt(queryOne(count)) < changes && System.nanoTime() < deadline) {
            Thread.sleep(2_000);
        }
        assertThat(queryOne(count)).as("changelog rows of the sequence's %d row changes", changes).isEqualTo(String.valueOf(changes));
    }

    private String queryOne(String sql) {
        CliRun q = CliRun.with(local, "query", "--csv", sql);
        assertThat(q.exitCode()).as(q.err()).isZero();
        return q.out().lines().skip(1).findFirst().orElseThrow();
    }

    /** Every row of shop.transactions by id, each column as text (timestamps as epoch millis, nulls as ""). */
    private static Map<Long, List<String>> databaseRows(Connection db) throws SQLException {
        Map<Long, List<String>> rows = new TreeMap<>();
        List<String[]> columns = columns(db);
        StringBuilder select = new StringBuilder("SELECT id");
        for (String[] c : columns) {
            select.append(", CAST(").append(temporal(c) ? "FLOOR(UNIX_TIMESTAMP(" + c[0] + ") * 1000)" : c[0]).append(" AS CHAR)");
        }
        try (Statement st = db.createStatement(); ResultSet r = st.executeQuery(select + " FROM transactions")) {
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    String value = r.getString(i + 2);
                    row.add(value == null ? "" : value);
                }
                rows.put(r.getLong(1), row);
            }
        }
        return rows;
    }

    /** The database table's columns in the lake relation {@code from} (of the bucket), by id, as {@link #databaseRows} gives them. */
    private Map<Long, List<String>> lakeRows(Connection db, String bucket, String from) throws SQLException {
        List<String[]> columns = columns(db);
        StringBuilder select = new StringBuilder("SELECT id");
        for (String[] c : columns) {
            select.append(", CAST(").append(temporal(c) ? "epoch_ms(" + c[0] + ")" : c[0]).append(" AS VARCHAR)");
        }
        CliRun q = CliRun.with(local, "query", "--csv", "--bucket", bucket, select + " FROM " + from);
        assertThat(q.exitCode()).as(q.err()).isZero();
        Map<Long, List<String>> rows = new TreeMap<>();
        q.out().lines().skip(1).forEach(line -> {
            List<String> f = Arrays.asList(line.split(",", -1));
            assertThat(rows.put(Long.parseLong(f.get(0)), f.subList(1, f.size()))).as("one row of %s for id %s", from, f.get(0)).isNull();
        });
        return rows;
    }

    /** Name and data type of each column of shop.transactions, in table order. */
    private static List<String[]> columns(Connection db) throws SQLException {
        List<String[]> columns = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet r = st.executeQuery("SELECT column_name, data_type FROM "
                + "information_schema.columns WHERE table_schema = 'shop' AND table_name = 'transactions' ORDER BY ordinal_position")) {
            while (r.next()) {
                columns.add(new String[] {r.getString(1), r.getString(2)});
            }
        }
        return columns;
    }

    private static boolean temporal(String[] column) {
        return column[1].equalsIgnoreCase("timestamp") || column[1].equalsIgnoreCase("datetime");
    }

    /**
     * The transactions changelog's objects copied into a new bucket: the compaction pass works there. The
     * sink's markers are not copied: the pipeline is drained, so every file is final (in the live bucket the
     * sink's last upload round stays named in its marker, and out of compaction, until its next round).
     */
    private String copyOfTheChangelog() {
        String copy = stack.createBucket("snapshot");
        String source = stack.config().bucket();
        for (S3Object o : stack.s3().listObjectsV2Paginator(b -> b.bucket(source).prefix(PATHS.tableRoot(Contracts.TRANSACTIONS)))
                .contents()) {
            if (PATHS.isDataObject(o.key())) {
                stack.s3().copyObject(b -> b.sourceBucket(source).sourceKey(o.key()).destinationBucket(copy).destinationKey(o.key()));
            }
        }
        return copy;
    }
}
