package io.tributary.cli.lake;

import io.tributary.cli.aws.AwsErrors;
import io.tributary.schemas.contract.CurrentState;
import io.tributary.lake.store.LakeMirror;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SQL over the local lake: the S3 server's Parquet objects copied to a local folder with the same
 * key layout, and a DuckDB view per lake table under its table name, reading
 * {@code <table>/dt=.../hour=.../*.parquet} with Hive partitioning (dt and hour as strings, as in
 * Athena) and union by name (files written before a column was added read it as NULL); CDC tables
 * also get their {@code <table>_current} view, the same SQL as Athena's.
 */
public final class LocalLake implements AutoCloseable {
    private final Path mirror;
    private final Connection db;
    private final List<String> tables;

    private LocalLake(Path mirror, Connection db, List<String> tables) {
        this.mirror = mirror;
        this.db = db;
        this.tables = tables;
    }

    /**
     * Copies the lake under {@code s3://bucket/prefix/} to {@code mirror} (only what changed since the
     * last copy) and opens DuckDB with one view per table found.
     */
    public static LocalLake open(S3Client s3, String bucket, String prefix, Path mirror) throws IOException, SQLException {
        try {
            LakeMirror.sync(s3, bucket, prefix + "/", mirror);
        } catch (SdkException e) {
            String at = s3.serviceClientConfiguration().endpointOverride().map(uri -> " at " + uri).orElse("");
            throw AwsErrors.describe(e, "S3 copy of s3://" + bucket + "/" + prefix + "/" + at,
                    "s3:ListBucket and s3:GetObject on the lake bucket");
        }
        return over(mirror, prefix);
    }

    /**
     * DuckDB over a lake already on local disk ({@code mirror/prefix/<table>/...}): a view per table
     * found, and for each CDC table the view {@code <table>_current}, defined as in Athena
     * ({@link CurrentView}).
     */
    public static LocalLake over(Path mirror, String prefix) throws IOException, SQLException {
        Connection db = DriverManager.getConnection("jdbc:duckdb:");
        List<String> tables = new ArrayList<>();
        Path root = mirror.resolve(prefix);
        if (Files.isDirectory(root)) {
            try (Stream<Path> dirs = Files.list(root); Statement st = db.createStatement()) {
                for (Path dir : dirs.filter(d -> Files.isDirectory(d) && !hidden(d)).sorted().toList()) {
                    if (!holdsParquet(dir)) {
                        continue;
                    }
                    String table = dir.getFileName().toString();
                    st.execute("CREATE VIEW \"" + table + "\" AS SELECT * FROM read_parquet('" + dir + "/**/*.parquet', "
                            + "hive_partitioning = true, hive_types_autocast = false, union_by_name = true)");
                    tables.add(table);
                }
                for (String table : List.copyOf(tables)) {
                    Optional<List<String>> key = CurrentState.key(table);
                    if (key.isEmpty()) {
                        continue;
                    }
                    List<String> columns = columns(st, table);
                    if (columns.containsAll(List.of(CurrentState.SOURCE_POS, CurrentState.DELETED))) {
                        List<String> current = columns.stream().filter(c -> !CurrentState.CHANGE_COLUMNS.contains(c)
                                && !c.equals("dt") && !c.equals("hour")).toList();
                        st.execute("CREATE VIEW " + CurrentView.quote(CurrentState.currentView(table)) + " AS "
                                + CurrentView.select(CurrentView.quote(table), key.get(), current));
                        tables.add(CurrentState.currentView(table));
                    }
                }
            }
        }
        return new LocalLake(mirror, db, tables);
    }

    private static List<String> columns(Statement st, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet r = st.executeQuery("DESCRIBE " + CurrentView.quote(table))) {
            while (r.next()) {
                columns.add(r.getString(1));
            }
        }
        return columns;
    }

    /**
     * A folder whose objects were all replaced or deleted can stay behind in the mirror; DuckDB refuses
     * a view over no files, and a table without rows is no table to Athena either.
     */
    private static boolean holdsParquet(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
        }
    }

    /** {@code _tributary/}, {@code _raw/} and the like are Tributary's own folders, not tables (Trino skips them too). */
    private static boolean hidden(Path dir) {
        String name = dir.getFileName().toString();
        return name.startsWith("_") || name.startsWith(".");
    }

    public List<String> tables() {
        return tables;
    }

    public Connection connection() {
        return db;
    }

    public Path mirror() {
        return mirror;
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
