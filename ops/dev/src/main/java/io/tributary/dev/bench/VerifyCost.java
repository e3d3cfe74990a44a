package io.tributary.dev.bench;

import io.tributary.cli.cdc.CdcVerifier;
import io.tributary.cli.cdc.Divergence;
import io.tributary.cli.cdc.LakeState;
import io.tributary.cli.cdc.SourceDatabase;
import io.tributary.cli.cdc.VerifiedTable;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.s3.LocalS3;
import io.tributary.devstack.s3.S3Server;
import io.tributary.lake.parquet.ParquetFileWriter;
import io.tributary.schemas.lake.LakeNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What `cdc verify` costs on a large table, next to the plainest scans of the same data: a table of
 * {@code rows} rows in the local stack's MariaDB and the same rows as a changelog in a lake bucket
 * (every fifth key with an older version too), then verify's database pass against
 * {@code SELECT COUNT(*)}, its lake pass (first and incremental) against DuckDB's {@code count(*)},
 * and the drill-down after changing 10 rows in the database.
 */
public final class VerifyCost {
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private VerifyCost() {
    }

    public static void run(StackConfig stack, int rows, Path work, PrintWriter out) throws Exception {
        String db = "verify_bench_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        String bucket = db.replace('_', '-');
        out.printf("==> %,d rows in %s.t and in s3://%s/lake/t/%n", rows, db, bucket);
        out.flush();
        createTable(stack, db, rows);
        try (S3Client s3 = LocalS3.client(stack)) {
            S3Server.ensureBucket(s3, bucket);
            writeLake(s3, bucket, rows, work);
            try (SourceDatabase source = new SourceDatabase(stack.jdbcUrl(), StackConfig.DB_ADMIN_USER, StackConfig.DB_ADMIN_PASSWORD);
                 LakeState lake = new LakeState(s3, bucket, LakeNames.DEFAULT_TOPICS_DIR, work.resolve("mirror"))) {
                CdcVerifier verifier = new CdcVerifier(source, lake, 10_000, Duration.ZERO);
                double firstCopy = timed(() -> lake.refresh("t"));
                VerifiedTable t = verifier.describe(db + ".t", "t");
                double countDb = timed(() -> scalar(stack, db, "SELECT COUNT(*) FROM t"));
                double sumsDb = timed(() -> source.checksums(t));
                double countLake = timed(() -> lake.changelogRows("t"));
                double sumsLake = timed(() -> {
                    lake.refresh("t");
                    lake.current(t);
                    return lake.checksums(t);
                });
                double verifyClean = timed(() -> verifier.verify(t));
                change(stack, db, 10);
                Divergence[] d = new Divergence[1];
                double verifyDirty = timed(() -> d[0] = verifier.verify(t));
                out.printf("  database pass (checksum per range): %.2f s; baseline SELECT COUNT(*): %.2f s; ratio %.1f%n",
                        sumsDb, countDb, sumsDb / countDb);
                out.printf("  lake pass (nothing new to copy, latest row per key, checksum per range): %.2f s; "
                        + "baseline DuckDB count(*) of the changelog: %.2f s; ratio %.1f%n", sumsLake, countLake, sumsLake / countLake);
                out.printf("  first run's copy of the table's objects from S3: %.2f s%n", firstCopy);
                out.printf("  whole verify, no divergence: %.2f s; after changing 10 rows: %.2f s, %d different rows "
                        + "found in %d of the ranges%n", verifyClean, verifyDirty, d[0].different().size(), d[0].differingRanges());
            }
        }
    }

    private static void createTable(StackConfig stack, String db, int rows) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), StackConfig.DB_ADMIN_USER, StackConfig.DB_ADMIN_PASSWORD);
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
            st.execute("CREATE TABLE " + db + ".t (id BIGINT PRIMARY KEY, status VARCHAR(20) NOT NULL, "
                    + "amount DECIMAL(12,2) NOT NULL, version INT NOT NULL)");
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + db + ".t VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= rows; i++) {
                    p.setLong(1, i);
                    p.setString(2, status(i));
                    p.setBigDecimal(3, amount(i));
                    p.setInt(4, i % 5 == 0 ? 2 : 1);
                    p.addBatch();
                    if (i % 10_000 == 0) {
                        p.executeBatch();
                        c.commit();
                    }
                }
                p.executeBatch();
                c.commit();
            }
        }
    }

    /** The changelog: every row once, every fifth also in an earlier version, in files of 100,000 rows. */
    private static void writeLake(S3Client s3, String bucket, int rows, Path work) throws IOException {
        Schema decimal = LogicalTypes.decimal(12, 2).addToSchema(Schema.create(Schema.Type.BYTES));
        Schema schema = SchemaBuilder.record("T").namespace("io.tributary.lake").fields()
                .name("id").type().optional().longType()
                .name("status").type().optional().stringType()
                .name("amount").type().optional().type(decimal)
                .name("version").type().optional().intType()
                .name("_op").type().stringType().noDefault()
                .name("_source_ts").type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
                .name("_deleted").type().booleanType().noDefault()
                .name("_source_pos").type().optional().stringType()
                .endRecord();
        Path file = Files.createDirectories(work).resolve("changelog.parquet");
        int written = 0;
        int part = 0;
        ParquetFileWriter writer = null;
        for (int i = 1; i <= rows; i++) {
            for (int version = i % 5 == 0 ? 1 : 2; version <= 2; version++) {
                if (writer == null) {
                    Files.deleteIfExists(file);
                    writer = new ParquetFileWriter(file, schema, "snappy", 64 << 20, 1 << 20);
                }
                GenericRecord r = new GenericData.Record(schema);
                r.put("id", (long) i);
                r.put("status", version == 2 || i % 5 != 0 ? status(i) : "pending");
                ByteBuffer amount = DECIMALS.toBytes(amount(i), decimal, (LogicalTypes.Decimal) decimal.getLogicalType());
                r.put("amount", amount);
                r.put("version", i % 5 == 0 ? version : 1);
                r.put("_op", version == 1 || i % 5 != 0 ? "c" : "u");
                r.put("_source_ts", 1_780_000_000_000L);
                r.put("_deleted", false);
                r.put("_source_pos", String.format("0000000001-%020d-0000000000-00000", (long) i * 10 + version));
                writer.write(r);
                if (++written % 100_000 == 0) {
                    writer.close();
                    upload(s3, bucket, file, part++);
                    writer = null;
                }
            }
        }
        if (writer != null) {
            writer.close();
            upload(s3, bucket, file, part);
        }
    }

    private static void upload(S3Client s3, String bucket, Path file, int part) {
        s3.putObject(b -> b.bucket(bucket).key("lake/t/dt=2026-06-01/hour=00/t+0+" + part + ".parquet"), RequestBody.fromFile(file));
    }

    private static void change(StackConfig stack, String db, int n) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), StackConfig.DB_ADMIN_USER, StackConfig.DB_ADMIN_PASSWORD);
             Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE " + db + ".t SET status = 'changed' WHERE id <= " + n);
        }
    }

    private static String status(int i) {
        return i % 3 == 0 ? "paid" : "shipped";
    }

    private static BigDecimal amount(int i) {
        return BigDecimal.valueOf(100 + (i * 7919L) % 1_000_000, 2);
    }

    private static Object scalar(StackConfig stack, String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(db), StackConfig.DB_ADMIN_USER, StackConfig.DB_ADMIN_PASSWORD);
             Statement st = c.createStatement(); ResultSet r = st.executeQuery(sql)) {
            r.next();
            return r.getObject(1);
        }
    }

    private interface Step {
        Object run() throws Exception;
    }

    private static double timed(Step step) throws Exception {
        long t0 = System.nanoTime();
        step.run();
        return seconds(t0);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
