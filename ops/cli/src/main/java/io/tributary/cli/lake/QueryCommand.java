package io.tributary.cli.lake;

import io.tributary.cli.aws.AwsOptions;
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
import software.amazon.awssdk.services.s3.S3Client;

/**
 * `tributary query "SQL"`: SQL over a local copy of the lake (only what changed since the last query is
 * downloaded), every lake table under its Athena name with its
 * columns plus dt and hour, so dashboard queries can be tried before they run in Athena.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run SQL (DuckDB dialect, close to Athena's for the usual dashboard queries) over the local lake.")
public final class QueryCommand implements Callable<Integer> {
    @Mixin
    LakeOptions lake;

    @Mixin
    WorkDir workDir;

    @Mixin
    AwsOptions aws;

    @Parameters(paramLabel = "SQL", description = "The query, e.g. \"SELECT dt, hour, count(*) FROM app_events GROUP BY 1, 2\".")
    String sql;

    @Option(names = "--csv", description = "Print CSV instead of a table.")
    boolean csv;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (S3Client s3 = lake.s3(aws);
             LocalLake copy = LocalLake.open(s3, lake.bucket(), lake.prefix(), workDir.dir("lake-mirror"));
             Statement st = copy.connection().createStatement()) {
            if (copy.tables().isEmpty()) {
                spec.commandLine().getErr().println("The lake in s3://" + lake.bucket() + "/" + lake.prefix() + "/ is empty: "
                        + "run `./tributary demo --keep` or deploy the sink first.");
                return 1;
            }
            ResultSet r;
            try {
                r = st.executeQuery(sql);
            } catch (SQLException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage().lines().findFirst().orElse("")
                        + "\nTables: " + String.join(", ", copy.tables()));
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
                widths[i] = Math.max(widths[i], displayWidth(String.valueOf(row[i])));
            }
        });
        for (int k = 0; k < rows.size(); k++) {
            StringBuilder line = new StringBuilder();
            int width = 0;
            for (int i = 0; i < n; i++) {
                String cell = String.valueOf(rows.get(k)[i]);
                line.append(i == 0 ? "" : " | ").append(cell).append(" ".repeat(widths[i] - displayWidth(cell)));
                width += (i == 0 ? 0 : 3) + widths[i];
            }
            out.println(line.toString().stripTrailing());
            if (k == 0) {
                out.println("-".repeat(width));
            }
        }
        out.printf("(%d row%s)%n", rows.size() - 1, rows.size() == 2 ? "" : "s");
    }

    /** Terminal columns a string takes: East Asian wide characters (Japanese display names) take two. */
    static int displayWidth(String s) {
        return s.codePoints().map(cp -> cp >= 0x1100 && (cp <= 0x115F || (cp >= 0x2E80 && cp <= 0xA4CF)
                || (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F)
                || (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000) ? 2 : 1).sum();
    }

    private static String csvField(String value) {
        if (value == null) {
            return "";
        }
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
