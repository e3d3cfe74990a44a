package io.tributary.cli.lake;

import io.tributary.cli.aws.AwsOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The lake as commands that read or write its objects reach it: its location, and an endpoint for
 * S3-compatible servers. Commands that only name it (the Athena DDL) take {@link LakeLocation}.
 */
public final class LakeOptions {
    @Mixin
    LakeLocation location;

    @Option(names = "--s3-endpoint", descriptionKey = "TRIBUTARY_S3_ENDPOINT",
            description = "S3 endpoint of an S3-compatible server, path-style (env TRIBUTARY_S3_ENDPOINT; default: AWS).")
    String s3Endpoint;

    public String bucket() {
        return location.bucket();
    }

    public String prefix() {
        return location.prefix();
    }

    /** A client for the lake's bucket; follows the bucket to its region, path-style on other servers. */
    public S3Client s3(AwsOptions aws) {
        String endpoint = s3Endpoint == null || s3Endpoint.isBlank() ? null : s3Endpoint;
        return aws.configure(S3Client.builder(), endpoint).forcePathStyle(endpoint != null)
                .crossRegionAccessEnabled(endpoint == null).build();
    }
}
