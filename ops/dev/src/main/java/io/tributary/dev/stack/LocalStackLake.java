package io.tributary.dev.stack;

import io.tributary.cli.lake.LocalLake;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.s3.LocalS3;
import io.tributary.schemas.lake.LakeNames;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import software.amazon.awssdk.services.s3.S3Client;

/** The lake a bucket of the local stack's S3 server holds, copied to {@code mirror} and opened in DuckDB. */
public final class LocalStackLake {
    private LocalStackLake() {
    }

    public static LocalLake open(StackConfig stack, Path mirror) throws IOException, SQLException {
        return open(stack, stack.bucket(), mirror);
    }

    public static LocalLake open(StackConfig stack, String bucket, Path mirror) throws IOException, SQLException {
        try (S3Client s3 = LocalS3.client(stack)) {
            return LocalLake.open(s3, bucket, LakeNames.DEFAULT_TOPICS_DIR, mirror);
        }
    }
}
