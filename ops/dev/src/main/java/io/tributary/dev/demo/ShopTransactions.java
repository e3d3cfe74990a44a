package io.tributary.dev.demo;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The demo's shop at work: each step inserts a pending transaction, now and then pays the oldest
 * pending one and deletes the oldest paid one, and counts every change by its Debezium operation, so
 * the report knows how many changelog rows to expect.
 */
public final class ShopTransactions {
    private final Random random = new Random(7);
    private final Deque<Long> pending = new ArrayDeque<>();
    private final Deque<Long> paid = new ArrayDeque<>();
    private final Map<String, Long> changes = new TreeMap<>();

    void step(ShopDatabase db) throws SQLException {
        long id = db.insertTransaction(ShopDatabase.userId(random.nextInt(ShopDatabase.USERS)),
                1 + random.nextInt(ShopDatabase.MASTERS.size()), BigDecimal.valueOf(100 + random.nextInt(90_000), 2));
        pending.add(id);
        count("c");
        if (pending.size() > 2 && random.nextInt(3) == 0) {
            long paidId = pending.poll();
            db.updateTransactionStatus(paidId, "paid");
            paid.add(paidId);
            count("u");
        }
        if (paid.size() > 2 && random.nextInt(7) == 0) {
            db.deleteTransaction(paid.poll());
            count("d");
        }
    }

    /** The id of the newest transaction, for changes a test makes itself. */
    public long last() {
        return pending.isEmpty() ? paid.getLast() : pending.getLast();
    }

    /** Counts a change by its Debezium operation (c, u, d), also one the caller made itself. */
    public void count(String op) {
        changes.merge(op, 1L, Long::sum);
    }

    /** Changes made, by operation. */
    public Map<String, Long> byOp() {
        return changes;
    }

    public long total() {
        return changes.values().stream().mapToLong(Long::longValue).sum();
    }
}
