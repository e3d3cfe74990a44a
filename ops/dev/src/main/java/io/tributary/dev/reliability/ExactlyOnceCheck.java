package io.tributary.dev.reliability;

import io.tributary.cli.lake.LocalLake;
import io.tributary.dev.demo.EventSender;
import io.tributary.dev.demo.Reconciliation;
import io.tributary.dev.demo.ShopDatabase;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The exact reconciliation after a fault run: every event acknowledged by the broker is in the
 * lake exactly once (or dead-lettered, for the broken ones), every database change the ledger
 * says committed is in the lake exactly once and nothing else is, and the latest lake row of each
 * key equals the database's row. Differences name their first keys.
 */
public final class ExactlyOnceCheck {
    private static final int EXAMPLES = 5;

    private final PrintWriter out;
    private final Reconciliation checks;

    public ExactlyOnceCheck(LocalLake lake, PrintWriter out) {
        this.out = out;
        this.checks = new Reconciliation(lake, out);
    }

    /** Runs every check; returns the mismatches (empty when all held). */
    public List<String> check(EventSender events, String eventIdPrefix, String eventsTopic, LedgerDatabase db)
            throws SQLException {
        checks.check("event sends that failed (their fate is unknown)", 0, events.failed());
        List<String> eventIds = new ArrayList<>();
        checks.query("SELECT event_id FROM app_events WHERE event_id LIKE '" + eventIdPrefix + "%'",
                r -> eventIds.add(r.getString(1)));
        exactlyOnce("app_events rows of the events sent", events.sent().keySet(), eventIds);
        checks.check("broken events dead-lettered", events.bad(),
                checks.count("SELECT count(*) FROM dead_letters WHERE source_topic = '" + eventsTopic + "'"));

        List<String> changes = new ArrayList<>();
        checks.query("SELECT id, _op, version FROM " + LedgerDatabase.TABLE,
                r -> changes.add(r.getLong(1) + " " + r.getString(2) + " v" + r.getInt(3)));
        exactlyOnce(LedgerDatabase.TABLE + " changelog rows of the committed changes",
                db.ledger().stream().map(c -> c.id() + " " + c.op() + " v" + c.version()).collect(Collectors.toSet()), changes);
        Map<Long, String> current = new HashMap<>();
        checks.query("SELECT id, status, amount, version FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY "
                + "_source_pos DESC) AS n FROM " + LedgerDatabase.TABLE + ") WHERE n = 1 AND NOT _deleted",
                r -> current.put(r.getLong(1), r.getString(2) + " " + r.getBigDecimal(3) + " v" + r.getInt(4)));
        Map<Long, String> expected = new HashMap<>();
        db.rows().values().forEach(row -> expected.put(row.id(), row.status() + " " + row.amount() + " v" + row.version()));
        Set<Long> differing = new HashSet<>(expected.keySet());
        differing.addAll(current.keySet());
        differing.removeIf(id -> expected.get(id) != null && expected.get(id).equals(current.get(id)));
        checks.check(LedgerDatabase.TABLE + " rows whose latest lake row differs from the database" + examples(differing),
                0, differing.size());
        checks.check("masters snapshot rows", ShopDatabase.MASTERS.size(), checks.count("SELECT count(*) FROM masters"));
        return checks.mismatches();
    }

    /** Each expected item once in {@code found}, and nothing else. */
    private void exactlyOnce(String what, Set<String> expected, List<String> found) {
        Map<String, Long> counts = found.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(counts.keySet());
        Set<String> extra = new HashSet<>(counts.keySet());
        extra.removeAll(expected);
        Set<String> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        out.printf("  %s: %,d expected, %,d rows%n", what, expected.size(), found.size());
        checks.check("  missing" + examples(missing), 0, missing.size());
        checks.check("  not sent or not committed" + examples(extra), 0, extra.size());
        checks.check("  more than once" + examples(twice), 0, twice.size());
    }

    private static String examples(Set<?> items) {
        return items.isEmpty() ? "" : " (e.g. " + items.stream().limit(EXAMPLES).map(String::valueOf)
                .collect(Collectors.joining(", ")) + ")";
    }
}
