package io.tributary.devstack.s3;

import io.tributary.devstack.StackConfig;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** An AWS SDK v2 client for the local S3 server: endpoint override, path-style, local credentials. */
public final class LocalS3 {
    private LocalS3() {
    }

    public static S3Client client(StackConfig config) {
        return S3Client.builder()
                .endpointOverride(URI.create(config.s3Endpoint()))
                .forcePathStyle(true)
                .region(Region.of(StackConfig.S3_REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(StackConfig.S3_ACCESS_KEY, StackConfig.S3_SECRET_KEY)))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(Duration.ofSeconds(30)).build())
                .build();
    }
}
