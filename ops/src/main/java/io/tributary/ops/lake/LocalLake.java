package io.tributary.ops.lake;

import io.tributary.devstack.StackConfig;
import io.tributary.devstack.lake.LakeMirror;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SQL over the local lake: the S3 server's Parquet objects copied to a local folder with the same
 * key layout, and a DuckDB view per lake table under its table name, reading
 * {@code <table>/dt=.../hour=.../*.parquet} with Hive partitioning (dt and hour as strings, as in
 * Athena) and union by name (files written before a column was added read it as NULL).
 */
public final class LocalLake implements AutoCloseable {
    public static final String PREFIX = "lake";

    private final Path mirror;
    private final Connection db;
    private final List<String> tables;

    private LocalLake(Path mirror, Connection db, List<String> tables) {
        this.mirror = mirror;
        this.db = db;
        this.tables = tables;
    }

    /** Copies the stack's lake bucket to {@code mirror} and opens DuckDB with one view per table found. */
    public static LocalLake open(StackConfig stack, Path mirror) throws IOException, SQLException {
        return open(stack, stack.bucket(), mirror);
    }

    /** The same for another bucket of the stack's S3 server. */
    public static LocalLake open(StackConfig stack, String bucket, Path mirror) throws IOException, SQLException {
        try (S3Client s3 = client(stack)) {
            LakeMirror.sync(s3, bucket, PREFIX + "/", mirror);
        }
        Connection db = DriverManager.getConnection("jdbc:duckdb:");
        List<String> tables = new ArrayList<>();
        Path root = mirror.resolve(PREFIX);
        if (Files.isDirectory(root)) {
            try (Stream<Path> dirs = Files.list(root); Statement st = db.createStatement()) {
                for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                    String table = dir.getFileName().toString();
                    st.execute("CREATE VIEW \"" + table + "\" AS SELECT * FROM read_parquet('" + dir + "/**/*.parquet', "
                            + "hive_partitioning = true, hive_types_autocast = false, union_by_name = true)");
                    tables.add(table);
                }
            }
        }
        return new LocalLake(mirror, db, tables);
    }

    /** An S3 client for the local S3 server (local-only credentials). */
    public static S3Client client(StackConfig stack) {
        return S3Client.builder().endpointOverride(java.net.URI.create(stack.s3Endpoint())).forcePathStyle(true)
                .region(Region.of(StackConfig.S3_REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(StackConfig.S3_ACCESS_KEY, StackConfig.S3_SECRET_KEY)))
                .build();
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
