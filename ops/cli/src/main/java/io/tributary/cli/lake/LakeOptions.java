package io.tributary.cli.lake;

import io.tributary.cli.aws.AwsOptions;
import io.tributary.cli.common.SettingDefaults;
import io.tributary.schemas.lake.LakeNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where the lake is (its bucket and the key prefix above the table folders, the sink's topics.dir;
 * an endpoint for S3-compatible servers) and where the CLI keeps its local copy of it.
 */
public final class LakeOptions {
    @Option(names = "--bucket", descriptionKey = "TRIBUTARY_LAKE_BUCKET",
            description = "Lake bucket (env TRIBUTARY_LAKE_BUCKET; ./tributary: the local stack's).")
    String bucket;

    @Option(names = "--prefix", defaultValue = LakeNames.DEFAULT_TOPICS_DIR,
            description = "The sink's topics.dir (default ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--s3-endpoint", descriptionKey = "TRIBUTARY_S3_ENDPOINT",
            description = "S3 endpoint of an S3-compatible server, path-style (env TRIBUTARY_S3_ENDPOINT; default: AWS).")
    String s3Endpoint;

    @Option(names = "--work-dir", descriptionKey = "TRIBUTARY_WORK_DIR",
            description = "Where the local copy of the lake is kept (env TRIBUTARY_WORK_DIR; default ~/.tributary).")
    Path workDir;

    public String bucket() {
        return SettingDefaults.require(bucket, "--bucket", "TRIBUTARY_LAKE_BUCKET");
    }

    public String prefix() {
        return prefix;
    }

    /** A client for the lake's bucket; follows the bucket to its region, path-style on other servers. */
    public S3Client s3(AwsOptions aws) {
        String endpoint = s3Endpoint == null || s3Endpoint.isBlank() ? null : s3Endpoint;
        return aws.configure(S3Client.builder(), endpoint).forcePathStyle(endpoint != null)
                .crossRegionAccessEnabled(endpoint == null).build();
    }

    /** A folder of the work dir, created when missing. */
    public Path workDir(String name) throws IOException {
        Path root = workDir != null ? workDir : Path.of(System.getProperty("user.home"), ".tributary");
        return Files.createDirectories(root.resolve(name));
    }
}
