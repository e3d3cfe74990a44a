package io.tributary.connect.s3.storage;

import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.lake.store.S3Storage;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** The sink's object store and S3 client, as its configuration describes them. */
public final class SinkStorage {
    private SinkStorage() {
    }

    public static S3Storage open(S3SinkConfig config) {
        return new S3Storage(client(config), config.bucket(), config.partSize(), config.sseType(), config.sseKmsKeyId());
    }

    /** An SDK v2 client for the sink: region, optional endpoint override and path style, retries, default credentials. */
    public static S3Client client(S3SinkConfig config) {
        Duration base = Duration.ofMillis(config.retryBackoffMs());
        RetryStrategy retries = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(config.retries() + 1)
                .backoffStrategy(BackoffStrategy.exponentialDelay(base, Duration.ofSeconds(20)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(base.multipliedBy(5), Duration.ofSeconds(20)))
                .build();
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyle())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(o -> o.retryStrategy(retries));
        if (!config.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(config.endpoint()));
        }
        return builder.build();
    }
}
