package io.tributary.lake.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Uploads finished files to S3: one PUT up to the part size, multipart above it (aborted on
 * failure, so no half-written object ever becomes visible). Writes carry S3's conditional headers
 * when asked ({@code If-None-Match: *} on the PUT or on CompleteMultipartUpload, {@code If-Match}
 * with an ETag); a 412 becomes {@link PreconditionFailedException}. Requests retry on throttling,
 * 5xx and network errors with exponential backoff and full jitter; credentials come only from the
 * AWS default provider chain.
 */
public final class S3Storage implements ObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);

    private final S3Client s3;
    private final String bucket;
    private final int partSize;
    private final String sseType;
    private final String kmsKeyId;

    public S3Storage(S3Client s3, String bucket, int partSize, String sseType, String kmsKeyId) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
        this.sseType = sseType;
        this.kmsKeyId = kmsKeyId;
    }

    @Override
    public void upload(Path file, String key, Map<String, String> metadata, WriteCondition condition) throws IOException {
        try {
            long size = Files.size(file);
            if (size <= partSize) {
                PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key).metadata(metadata)
                        .ifMatch(condition.ifMatch()).ifNoneMatch(condition.ifAbsent() ? "*" : null);
                s3.putObject(encrypted(put), RequestBody.fromFile(file));
            } else {
                uploadInParts(file, key, metadata, condition);
            }
        } catch (SdkException e) {
            throw failed("upload of " + file + " to", key, e, condition);
        }
    }

    private void uploadInParts(Path file, String key, Map<String, String> metadata, WriteCondition condition)
            throws IOException {
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(bucket).key(key)
                .metadata(metadata);
        if (!sseType.isEmpty()) {
            create.serverSideEncryption(ServerSideEncryption.fromValue(sseType));
            if (!kmsKeyId.isEmpty()) {
                create.ssekmsKeyId(kmsKeyId);
            }
        }
        String uploadId = s3.createMultipartUpload(create.build()).uploadId();
        try (InputStream in = Files.newInputStream(file)) {
            List<CompletedPart> parts = new ArrayList<>();
            byte[] buffer = new byte[partSize];
            for (int number = 1; ; number++) {
                int read = in.readNBytes(buffer, 0, partSize);
                if (read == 0) {
                    break;
                }
                int part = number;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(part),
                        RequestBody.fromBytes(Arrays.copyOf(buffer, read))).eTag();
                parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
            }
            // The condition is checked when the object would become visible: on completion.
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts))
                    .ifMatch(condition.ifMatch()).ifNoneMatch(condition.ifAbsent() ? "*" : null));
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
                LOG.warn("Could not abort multipart upload {} of {}; a bucket lifecycle rule for incomplete uploads cleans it up",
                        uploadId, key);
            }
            throw e;
        }
    }

    @Override
    public String put(String key, byte[] content, WriteCondition condition) throws IOException {
        try {
            PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key)
                    .ifMatch(condition.ifMatch()).ifNoneMatch(condition.ifAbsent() ? "*" : null);
            return s3.putObject(encrypted(put), RequestBody.fromBytes(content)).eTag();
        } catch (SdkException e) {
            throw failed("PUT of", key, e, condition);
        }
    }

    @Override
    public Optional<Versioned> get(String key) throws IOException {
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(new Versioned(object.asByteArray(), object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failed("GET of", key, e, WriteCondition.NONE);
        }
    }

    @Override
    public Optional<Map<String, String>> metadata(String key) throws IOException {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)).metadata());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failed("HEAD of", key, e, WriteCondition.NONE);
        } catch (SdkException e) {
            throw failed("HEAD of", key, e, WriteCondition.NONE);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        try {
            List<ObjectInfo> out = new ArrayList<>();
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()
                    .forEach(o -> out.add(new ObjectInfo(o.key(), o.eTag(), o.size(), o.lastModified())));
            return out;
        } catch (SdkException e) {
            throw failed("LIST of", prefix, e, WriteCondition.NONE);
        }
    }

    @Override
    public void copy(String sourceKey, String targetKey) throws IOException {
        try {
            CopyObjectRequest.Builder copy = CopyObjectRequest.builder().sourceBucket(bucket).sourceKey(sourceKey)
                    .destinationBucket(bucket).destinationKey(targetKey);
            if (!sseType.isEmpty()) {
                copy.serverSideEncryption(ServerSideEncryption.fromValue(sseType));
                if (!kmsKeyId.isEmpty()) {
                    copy.ssekmsKeyId(kmsKeyId);
                }
            }
            s3.copyObject(copy.build());
        } catch (SdkException e) {
            throw failed("COPY of s3://" + bucket + "/" + sourceKey + " to", targetKey, e, WriteCondition.NONE);
        }
    }

    @Override
    public void delete(List<String> keys) throws IOException {
        // DeleteObjects takes at most 1,000 keys; a key without an object counts as deleted.
        for (int from = 0; from < keys.size(); from += 1000) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            try {
                DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
                List<S3Error> errors = response.errors().stream().filter(e -> !"NoSuchKey".equals(e.code())).toList();
                if (!errors.isEmpty()) {
                    S3Error first = errors.get(0);
                    throw new IOException("S3 DeleteObjects in s3://" + bucket + " failed for " + errors.size() + " key(s), e.g. "
                            + first.key() + ": " + first.code() + " " + first.message());
                }
            } catch (SdkException e) {
                throw failed("DeleteObjects of " + batch.size() + " key(s) from", batch.get(0).key(), e, WriteCondition.NONE);
            }
        }
    }

    @Override
    public void download(String key, Path file) throws IOException {
        try {
            Files.deleteIfExists(file);
            s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(file));
        } catch (SdkException e) {
            throw failed("GET of", key, e, WriteCondition.NONE);
        }
    }

    private PutObjectRequest encrypted(PutObjectRequest.Builder put) {
        if (!sseType.isEmpty()) {
            put.serverSideEncryption(ServerSideEncryption.fromValue(sseType));
            if (!kmsKeyId.isEmpty()) {
                put.ssekmsKeyId(kmsKeyId);
            }
        }
        return put.build();
    }

    /**
     * The exception for a failed request: {@link PreconditionFailedException} when a conditional
     * write's precondition does not hold (412; or 404 for If-Match on a key without an object),
     * {@link ConditionalWritesUnsupportedException} when the store rejects the conditional headers.
     */
    private IOException failed(String what, String key, SdkException e, WriteCondition condition) {
        String where = "S3 " + what + " s3://" + bucket + "/" + key;
        if (!condition.isNone() && e instanceof S3Exception s3e) {
            int status = s3e.statusCode();
            if (status == 412 || (status == 404 && condition.ifMatch() != null)) {
                return new PreconditionFailedException(where + ": precondition " + condition + " does not hold");
            }
            if (status == 501 || status == 400) {
                return new ConditionalWritesUnsupportedException(where + " was refused with " + status + " ("
                        + e.getMessage() + "); the store does not take S3 conditional writes");
            }
        }
        return new IOException(where + " failed after retries: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        s3.close();
    }
}
