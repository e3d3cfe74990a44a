package io.tributary.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;

@ExtendWith(DevStackExtension.class)
class S3ServerIT {
    private static final int PART = 5 * 1024 * 1024;

    @Test
    void multipartUploadListAndGetThroughTheAwsSdk(DevStack stack) {
        S3Client s3 = stack.s3();
        String bucket = stack.createBucket("mpu");
        byte[] data = new byte[2 * PART + 123_457];
        new Random(42).nextBytes(data);
        String key = "lake/app_events/dt=2026-11-22/hour=03/big.parquet";

        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int n = 1, offset = 0; offset < data.length; n++, offset += PART) {
            int len = Math.min(PART, data.length - offset);
            byte[] chunk = java.util.Arrays.copyOfRange(data, offset, offset + len);
            int partNumber = n;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                    RequestBody.fromBytes(chunk)).eTag();
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
        s3.putObject(b -> b.bucket(bucket).key("lake/app_events/dt=2026-11-22/hour=04/small.parquet"),
                RequestBody.fromString("x"));

        assertThat(parts).hasSize(3);
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("lake/app_events/")).contents())
                .extracting(S3Object::key, S3Object::size)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(key, (long) data.length),
                        org.assertj.core.groups.Tuple.tuple("lake/app_events/dt=2026-11-22/hour=04/small.parquet", 1L));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()).isEqualTo(data);
    }
}
