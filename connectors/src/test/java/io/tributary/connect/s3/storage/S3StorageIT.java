package io.tributary.connect.s3.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connect.s3.S3SinkConfig;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.junit.DevStack;
import io.tributary.devstack.junit.DevStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Uploads through the sink's own client (default credential chain) to the real S3 server. */
@ExtendWith(DevStackExtension.class)
class S3StorageIT {
    @TempDir
    Path dir;

    @Test
    void uploadsSmallFilesWithOnePutAndLargeOnesInPartsByteForByte(DevStack stack) throws Exception {
        // The default chain reads these system properties, as it reads the environment on a worker.
        System.setProperty("aws.accessKeyId", StackConfig.S3_ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", StackConfig.S3_SECRET_KEY);
        String bucket = stack.createBucket("storage");
        Map<String, String> props = new HashMap<>(Map.of(
                S3SinkConfig.S3_BUCKET, bucket,
                S3SinkConfig.SCHEMA_REGISTRY_URL, stack.config().registryUrl(),
                S3SinkConfig.S3_ENDPOINT, stack.config().s3Endpoint(),
                S3SinkConfig.S3_PATH_STYLE, "true",
                S3SinkConfig.S3_PART_SIZE, String.valueOf(5 * 1024 * 1024)));
        byte[] large = new byte[12 * 1024 * 1024 + 17];
        new Random(7).nextBytes(large);
        Path big = Files.write(dir.resolve("big.parquet"), large);
        Path small = Files.writeString(dir.resolve("small.parquet"), "tiny");

        try (S3Storage storage = S3Storage.of(new S3SinkConfig(props))) {
            storage.upload(big, "lake/t/dt=2026-11-22/hour=03/t+0+0+99.parquet");
            storage.upload(small, "lake/t/dt=2026-11-22/hour=03/t+0+100+100.parquet");
        }

        assertThat(stack.s3().listObjectsV2(b -> b.bucket(bucket).prefix("lake/t/")).contents())
                .extracting(S3Object::key, S3Object::size)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("lake/t/dt=2026-11-22/hour=03/t+0+0+99.parquet", (long) large.length),
                        org.assertj.core.groups.Tuple.tuple("lake/t/dt=2026-11-22/hour=03/t+0+100+100.parquet", 4L));
        assertThat(stack.s3().getObjectAsBytes(b -> b.bucket(bucket).key("lake/t/dt=2026-11-22/hour=03/t+0+0+99.parquet"))
                .asByteArray()).isEqualTo(large);
        assertThat(stack.s3().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }
}
