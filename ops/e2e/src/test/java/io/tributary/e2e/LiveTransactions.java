package io.tributary.e2e;

import io.tributary.testing.DevStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Changes of {@code shop.transactions} made in the background while a test does something else (a
 * replay of the table): every 100 ms an insert, and an update and a delete of earlier rows now and
 * then, on a connection of its own. Counts the changes it committed.
 */
final class LiveTransactions implements AutoCloseable {
    private final Connection connection;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long changes;
    private volatile SQLException failure;

    LiveTransactions(DevStack stack) throws SQLException {
        this.connection = stack.jdbc("shop");
        this.thread = new Thread(this::change, "live-transactions");
        thread.start();
    }

    private void change() {
        Deque<Long> rows = new ArrayDeque<>();
        try (Statement st = connection.createStatement()) {
            for (int n = 0; running; n++) {
                st.executeUpdate("INSERT INTO transactions (user_id, source_type_id, amount, currency, status) "
                        + "VALUES ('u-" + n % 50 + "', " + (1 + n % 5) + ", " + (100 + n) + ".25, 'JPY', 'live')",
                        Statement.RETURN_GENERATED_KEYS);
                try (ResultSet keys = st.getGeneratedKeys()) {
                    keys.next();
                    rows.add(keys.getLong(1));
                }
                changes++;
                if (n % 3 == 2) {
                    st.executeUpdate("UPDATE transactions SET status = 'live-paid' WHERE id = " + rows.peekLast());
                    changes++;
                }
                if (n % 5 == 4) {
                    st.executeUpdate("DELETE FROM transactions WHERE id = " + rows.pollFirst());
                    changes++;
                }
                Thread.sleep(100);
            }
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops changing; returns how many changes were committed (fails if one failed). */
    long stop() throws InterruptedException, SQLException {
        running = false;
        thread.join();
        if (failure != null) {
            throw failure;
        }
        return changes;
    }

    @Override
    public void close() throws InterruptedException, SQLException {
        if (running) {
            stop();
        }
        connection.close();
    }
}
