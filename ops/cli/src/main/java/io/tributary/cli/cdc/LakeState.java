package io.tributary.cli.cdc;

import io.tributary.cli.lake.CurrentView;
import io.tributary.lake.store.LakeMirror;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A CDC table's current state in the lake: its changelog objects copied from S3 to a local folder
 * (incrementally: only objects that are new or changed since the last run are downloaded), and, in
 * DuckDB, the latest row of each key by {@code _source_pos} with deleted keys left out ({@link CurrentView}, as the
 * {@code <table>_current} views). Rows written
 * before {@code _source_pos} existed order by {@code _source_ts} (whole seconds on MariaDB).
 */
public final class LakeState implements AutoCloseable {
    /** The order of a key's changes in a changelog, newest first (an ORDER BY clause for DuckDB). */
    private final S3Client s3;
    private final String bucket;
    private final String topicsDir;
    private final Path mirror;
    private final Connection duckdb;

    public LakeState(S3Client s3, String bucket, String topicsDir, Path mirror) throws SQLException {
        this.s3 = s3;
        this.bucket = bucket;
        this.topicsDir = topicsDir;
        this.mirror = mirror;
        this.duckdb = DriverManager.getConnection("jdbc:duckdb:");
        execute("SET TimeZone = 'UTC'");
    }

    /** Copies what changed in the table's objects and reads its changelog anew; false when it has no objects. */
    public boolean refresh(String lakeTable) throws IOException, SQLException {
        Path dir = mirror.resolve(lakeTable);
        int files = LakeMirror.sync(s3, bucket, topicsDir + "/" + lakeTable + "/", dir);
        if (files == 0) {
            return false;
        }
        execute("CREATE OR REPLACE VIEW \"" + lakeTable + "_changes\" AS SELECT * FROM read_parquet('"
                + dir.resolve(topicsDir).resolve(lakeTable) + "/**/*.parquet', hive_partitioning = true, "
                + "hive_types_autocast = false, union_by_name = true)");
        return true;
    }

    /** Lake column name to DuckDB type of the table's changelog. */
    Map<String, String> columnTypes(String lakeTable) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Statement st = duckdb.createStatement(); ResultSet r = st.executeQuery("DESCRIBE \"" + lakeTable + "_changes\"")) {
            while (r.next()) {
                out.put(r.getString(1), r.getString(2));
            }
        }
        return out;
    }

    /** Rows of the table's changelog (every change, not only current rows). */
    public long changelogRows(String lakeTable) throws SQLException {
        try (Statement st = duckdb.createStatement();
             ResultSet r = st.executeQuery("SELECT count(*) FROM \"" + lakeTable + "_changes\"")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Materializes the latest row of each key that is not deleted. */
    public void current(VerifiedTable t) throws SQLException {
        List<String> key = t.key().stream().map(ComparedColumn::lakeName).toList();
        execute("CREATE OR REPLACE TEMP TABLE \"" + t.lakeTable() + "_current\" AS SELECT * EXCLUDE (" + CurrentView.RANK + ") FROM ("
                + CurrentView.ranked("\"" + t.lakeTable() + "_changes\"", key) + ") WHERE " + CurrentView.CURRENT);
    }

    public Map<Long, RangeChecksum> checksums(VerifiedTable t) throws SQLException {
        Map<Long, RangeChecksum> out = new HashMap<>();
        String sql = "SELECT " + t.ranges().lakeRange() + " AS r, count(*), CAST(bit_xor(" + RowText.lakeHash(t.columns())
                + ") AS VARCHAR) FROM \"" + t.lakeTable() + "_current\" GROUP BY r";
        try (Statement st = duckdb.createStatement(); ResultSet r = st.executeQuery(sql)) {
            while (r.next()) {
                out.put(r.getLong(1), new RangeChecksum(r.getLong(2), r.getString(3)));
            }
        }
        return out;
    }

    Map<String, String> rowHashes(VerifiedTable t, String condition) throws SQLException {
        Map<String, String> out = new HashMap<>();
        String sql = "SELECT " + RowText.lakeKey(t.key()) + ", CAST(" + RowText.lakeHash(t.columns()) + " AS VARCHAR) FROM \""
                + t.lakeTable() + "_current\" WHERE " + condition;
        try (Statement st = duckdb.createStatement(); ResultSet r = st.executeQuery(sql)) {
            while (r.next()) {
                out.put(r.getString(1), r.getString(2));
            }
        }
        return out;
    }

    /** The current rows of these keys, every column, for writing their deletes. */
    void forEachCurrentRow(VerifiedTable t, String condition, RowHandler handler) throws SQLException {
        try (Statement st = duckdb.createStatement(); ResultSet r = st.executeQuery("SELECT * FROM \"" + t.lakeTable()
                + "_current\" WHERE " + condition)) {
            while (r.next()) {
                handler.accept(r);
            }
        }
    }

    interface RowHandler {
        void accept(ResultSet row) throws SQLException;
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = duckdb.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        duckdb.close();
    }
}
