package io.tributary.connect.s3.it;

import io.tributary.lake.store.LakeMirror;
import io.tributary.schemas.lake.LakePath;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reads a table back from S3 with an independent reader (DuckDB over a local copy of the objects,
 * Hive-partitioned) and checks it against {@link LakeRows}: every row exactly once, with its own
 * content, in the folder of its own event hour, in a file whose name covers its partition and offset.
 */
final class LakeCheck {
    private LakeCheck() {
    }

    /** What the check found; {@code problems} is empty when the table is exactly the input. */
    record Result(long rows, int files, List<String> problems) {
        @Override
        public String toString() {
            return rows + " rows in " + files + " files" + (problems.isEmpty() ? "" : "; problems: " + problems);
        }
    }

    static Result check(S3Client s3, String bucket, String prefix, String table, Path mirror, LakeRows rows, SinkLoad load)
            throws Exception {
        int files = LakeMirror.sync(s3, bucket, prefix + "/" + table + "/", mirror);
        List<String> problems = new ArrayList<>();
        byte[] seen = new byte[Math.toIntExact(rows.count())];
        long read = 0;
        String glob = mirror.resolve(prefix).resolve(table) + "/**/*.parquet";
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = db.createStatement();
             ResultSet r = st.executeQuery("SELECT id, epoch_ms(ts), user_name, amount, note, dt, hour, filename "
                     + "FROM read_parquet('" + glob + "', hive_partitioning = true, hive_types_autocast = false, filename = true)")) {
            while (r.next()) {
                read++;
                long id = r.getLong(1);
                if (id < 0 || id >= rows.count()) {
                    problem(problems, "unknown row id " + id);
                    continue;
                }
                if (++seen[(int) id] == 2) {
                    problem(problems, "row " + id + " appears more than once (again in " + r.getString(8) + ")");
                }
                long ts = r.getLong(2);
                LakePath.HourPartition hour = LakePath.hourOf(ts);
                if (ts != rows.time(id) || !hour.dt().equals(r.getString(6)) || !hour.hour().equals(r.getString(7))) {
                    problem(problems, "row " + id + " with time " + ts + " sits in dt=" + r.getString(6) + "/hour=" + r.getString(7));
                }
                if (!LakeRows.userName(id).equals(r.getString(3)) || LakeRows.amount(id).compareTo((BigDecimal) r.getObject(4)) != 0
                        || !java.util.Objects.equals(LakeRows.note(id), r.getString(5))) {
                    problem(problems, "row " + id + " has other content: " + r.getString(3) + ", " + r.getObject(4) + ", " + r.getString(5));
                }
                LakePath.FileOffsets name = LakePath.parseFile(r.getString(8));
                long offset = load.offsetOf(id);
                if (name == null || name.partition() != load.partitionOf(id) || offset < name.startOffset() || offset > name.endOffset()) {
                    problem(problems, "row " + id + " (partition " + load.partitionOf(id) + ", offset " + offset + ") is in " + r.getString(8));
                }
            }
        }
        long missing = 0;
        for (int id = 0; id < seen.length; id++) {
            if (seen[id] == 0 && ++missing <= 5) {
                problem(problems, "row " + id + " is missing");
            }
        }
        if (missing > 0) {
            problems.add(missing + " rows missing in all");
        }
        return new Result(read, files, problems);
    }

    private static void problem(List<String> problems, String problem) {
        if (problems.size() < 20) {
            problems.add(problem);
        }
    }
}
