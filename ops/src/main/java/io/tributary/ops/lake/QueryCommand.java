package io.tributary.ops.lake;

import io.tributary.ops.stack.StackOptions;
import io.tributary.ops.stack.StackSession;
import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `tributary query "SQL"`: SQL over the local lake, every lake table under its Athena name with its
 * columns plus dt and hour, so dashboard queries can be tried before they run in Athena.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run SQL (DuckDB dialect, close to Athena's for the usual dashboard queries) over the local lake.")
public final class QueryCommand implements Callable<Integer> {
    @Mixin
    StackOptions stackOptions;

    @Parameters(paramLabel = "SQL", description = "The query, e.g. \"SELECT dt, hour, count(*) FROM app_events GROUP BY 1, 2\".")
    String sql;

    @Option(names = "--csv", description = "Print CSV instead of a table.")
    boolean csv;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (StackSession session = StackSession.open(stackOptions, spec.commandLine().getErr());
             LocalLake lake = LocalLake.open(session.config(), session.config().dataDir().resolve("lake-mirror"));
             Statement st = lake.connection().createStatement()) {
            if (lake.tables().isEmpty()) {
                spec.commandLine().getErr().println("The lake is empty: run `./tributary demo --keep` or deploy the sink first.");
                return 1;
            }
            ResultSet r;
            try {
                r = st.executeQuery(sql);
            } catch (SQLException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage().lines().findFirst().orElse("")
                        + "\nTables: " + String.join(", ", lake.tables()));
                return 1;
            }
            print(r, out, csv);
            return 0;
        }
    }

    /** Prints a result as an aligned table or as CSV. */
    static void print(ResultSet r, PrintWriter out, boolean csv) throws SQLException {
        ResultSetMetaData meta = r.getMetaData();
        int n = meta.getColumnCount();
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[n];
        for (int i = 0; i < n; i++) {
            header[i] = meta.getColumnLabel(i + 1);
        }
        rows.add(header);
        while (r.next()) {
            String[] row = new String[n];
            for (int i = 0; i < n; i++) {
                row[i] = r.getString(i + 1);
            }
            rows.add(row);
        }
        if (csv) {
            rows.forEach(row -> out.println(String.join(",", java.util.Arrays.stream(row).map(QueryCommand::csvField).toList())));
            return;
        }
        int[] widths = new int[n];
        rows.forEach(row -> {
            for (int i = 0; i < n; i++) {
                widths[i] = Math.max(widths[i], String.valueOf(row[i]).length());
            }
        });
        for (int k = 0; k < rows.size(); k++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                line.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", rows.get(k)[i]));
            }
            out.println(line.toString().stripTrailing());
            if (k == 0) {
                out.println("-".repeat(line.length()));
            }
        }
        out.printf("(%d row%s)%n", rows.size() - 1, rows.size() == 2 ? "" : "s");
    }

    private static String csvField(String value) {
        if (value == null) {
            return "";
        }
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
