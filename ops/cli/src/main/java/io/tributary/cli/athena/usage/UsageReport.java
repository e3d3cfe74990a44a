package io.tributary.cli.athena.usage;

import io.tributary.cli.common.ByteSizes;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.athena.model.UnprocessedQueryExecutionId;

/**
 * The usage report: the queries grouped by user, database, workgroup or day with their count,
 * failures, bytes scanned and estimated cost, then the top queries by bytes with their SQL shortened,
 * then what could not be attributed. As text, or the grouped table as CSV.
 */
final class UsageReport {
    static final String NO_PRINCIPAL = "(no CloudTrail event)";
    static final String NO_DATABASE = "(none)";
    static final int SQL_WIDTH = 60;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** What the rows are grouped by. Lower case, as typed on the command line. */
    enum By {
        user(r -> r.principal() == null ? NO_PRINCIPAL : r.principal()),
        database(r -> r.database() == null ? NO_DATABASE : r.database()),
        workgroup(QueryRecord::workgroup),
        day(r -> r.submittedAt().atZone(ZoneOffset.UTC).toLocalDate().toString());

        final Function<QueryRecord, String> key;

        By(Function<QueryRecord, String> key) {
            this.key = key;
        }
    }

    /** One line of the grouped table. */
    record Group(String key, int queries, int failed, long bytes, BigDecimal cost) {
        Group plus(QueryRecord r) {
            return new Group(key, queries + 1, failed + (r.failed() ? 1 : 0), bytes + r.bytes(), cost.add(r.cost()));
        }
    }

    private final List<QueryRecord> rows;
    private final List<UnprocessedQueryExecutionId> unprocessed;
    private final String scope;
    private final CostModel prices;

    /** @param scope region, window and workgroups, for the header */
    UsageReport(List<QueryRecord> rows, List<UnprocessedQueryExecutionId> unprocessed, String scope, CostModel prices) {
        this.rows = rows;
        this.unprocessed = unprocessed;
        this.scope = scope;
        this.prices = prices;
    }

    /** The groups: by day in date order, otherwise the most expensive first. */
    List<Group> groups(By by) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (QueryRecord r : rows) {
            String key = by.key.apply(r);
            groups.put(key, groups.getOrDefault(key, new Group(key, 0, 0, 0, BigDecimal.ZERO)).plus(r));
        }
        Comparator<Group> order = by == By.day ? Comparator.comparing(Group::key)
                : Comparator.comparing(Group::cost).thenComparingLong(Group::bytes).reversed().thenComparing(Group::key);
        return groups.values().stream().sorted(order).toList();
    }

    List<QueryRecord> top(int n) {
        return rows.stream().sorted(Comparator.comparingLong(QueryRecord::bytes).reversed().thenComparing(QueryRecord::id))
                .limit(n).toList();
    }

    void printText(PrintWriter out, By by, int top) {
        out.println("Athena usage: " + scope);
        out.println(prices.describe());
        out.println();
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {by.name(), "queries", "failed", "scanned", "est. USD"});
        Group total = new Group("total", 0, 0, 0, BigDecimal.ZERO);
        for (Group g : groups(by)) {
            table.add(groupRow(g));
            total = new Group("total", total.queries + g.queries, total.failed + g.failed, total.bytes + g.bytes,
                    total.cost.add(g.cost));
        }
        table.add(groupRow(total));
        printAligned(out, table, new boolean[] {false, true, true, true, true}, true);
        if (top > 0 && !rows.isEmpty()) {
            out.println();
            out.println("Top " + Math.min(top, rows.size()) + " queries by bytes scanned:");
            List<String[]> queries = new ArrayList<>();
            queries.add(new String[] {"scanned", "est. USD", "state", "submitted (UTC)", "workgroup", "user", "query id", "SQL"});
            for (QueryRecord r : top(top)) {
                queries.add(new String[] {bytes(r.bytes()), usd(r.cost()), r.state(), MINUTE.format(r.submittedAt()), r.workgroup(),
                        shortPrincipal(By.user.key.apply(r)), r.id(), shorten(r.sql())});
            }
            printAligned(out, queries, new boolean[] {true, true, false, false, false, false, false, false}, false);
        }
        if (rows.stream().anyMatch(r -> r.principal() == null) || !unprocessed.isEmpty()) {
            out.println();
            printNotes(out);
        }
    }

    void printCsv(PrintWriter out, By by) {
        out.println(by.name() + ",queries,failed,data_scanned_bytes,estimated_cost_usd,price_per_tb_usd");
        for (Group g : groups(by)) {
            out.println(String.join(",", csv(g.key()), Integer.toString(g.queries()), Integer.toString(g.failed()),
                    Long.toString(g.bytes()), g.cost().setScale(6, RoundingMode.HALF_UP).toPlainString(),
                    prices.pricePerTb().toPlainString()));
        }
    }

    /** The queries the table could not attribute or count. */
    void printNotes(PrintWriter out) {
        long unattributed = rows.stream().filter(r -> r.principal() == null).count();
        if (unattributed > 0) {
            out.println(unattributed + (unattributed == 1 ? " query has" : " queries have") + " no StartQueryExecution event in"
                    + " CloudTrail and count" + (unattributed == 1 ? "s" : "") + " under user " + NO_PRINCIPAL + "; CloudTrail"
                    + " keeps 90 days of events and delivers them within about 15 minutes.");
        }
        if (!unprocessed.isEmpty()) {
            out.println(unprocessed.size() + " query id" + (unprocessed.size() == 1 ? "" : "s")
                    + " Athena could not describe, not counted above:");
            unprocessed.forEach(u -> out.println("  " + u.queryExecutionId() + ": " + u.errorCode() + " " + u.errorMessage()));
        }
    }

    private static String[] groupRow(Group g) {
        return new String[] {g.key(), Integer.toString(g.queries()), Integer.toString(g.failed()), bytes(g.bytes()), usd(g.cost())};
    }

    /** Prints columns padded to their widest cell, numbers ({@code right}) right-aligned, a rule under the header. */
    private static void printAligned(PrintWriter out, List<String[]> table, boolean[] right, boolean ruleBeforeLast) {
        int n = right.length;
        int[] widths = new int[n];
        table.forEach(row -> {
            for (int i = 0; i < n; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        String rule = "-".repeat(Arrays.stream(widths).sum() + 2 * (n - 1));
        for (int k = 0; k < table.size(); k++) {
            if (k == 1 || ruleBeforeLast && k == table.size() - 1) {
                out.println(rule);
            }
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                String cell = table.get(k)[i];
                String pad = " ".repeat(widths[i] - cell.length());
                line.append(i == 0 ? "" : "  ").append(right[i] ? pad + cell : cell + pad);
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** An ARN's resource part ({@code user/alice}, {@code assumed-role/Analyst/bob}): the table above has the full ARN. */
    static String shortPrincipal(String principal) {
        String[] parts = principal.split(":", 6);
        return parts.length == 6 && parts[0].equals("arn") ? parts[5] : principal;
    }

    static String shorten(String sql) {
        if (sql == null) {
            return "";
        }
        String flat = sql.strip().replaceAll("\\s+", " ");
        return flat.length() <= SQL_WIDTH ? flat : flat.substring(0, SQL_WIDTH - 3) + "...";
    }

    static String bytes(long bytes) {
        return ByteSizes.human(bytes);
    }

    static String usd(BigDecimal cost) {
        return cost.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private static String csv(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
