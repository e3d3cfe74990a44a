package io.tributary.lake.store;

import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Copies the Parquet objects of the tables under a prefix of the local S3 server to a directory with the same
 * key layout, so that DuckDB reads them with Hive partitioning ({@code dt=}/{@code hour=} folders)
 * without an S3 extension (none can be downloaded here). Objects already copied with the same size
 * and modification time are skipped (a replaced object, even of equal size, is copied again); files whose object is gone are deleted, so the copy equals the bucket.
 * Hidden keys (a path segment starting with {@code _} or {@code .}: Tributary's own objects, staged
 * replacements, the raw archive) are not tables, so they are not copied, as Hive and Trino skip them.
 */
public final class LakeMirror {
    private LakeMirror() {
    }

    /** Syncs the table objects of {@code s3://bucket/prefix} to {@code dir}; returns the number of Parquet files now in the copy. */
    public static int sync(S3Client s3, String bucket, String prefix, Path dir) throws IOException {
        LakePath paths = new LakePath(prefix);
        Set<Path> present = new HashSet<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            if (!paths.isDataObject(object.key())) {
                continue;
            }
            Path local = dir.resolve(object.key()).normalize();
            if (!local.startsWith(dir)) {
                throw new IOException("Object key " + object.key() + " escapes the mirror directory");
            }
            present.add(local);
            FileTime modified = FileTime.from(object.lastModified());
            if (!Files.exists(local) || Files.size(local) != object.size()
                    || !Files.getLastModifiedTime(local).equals(modified)) {
                Files.createDirectories(local.getParent());
                Path partial = local.resolveSibling(local.getFileName() + ".partial");
                Files.write(partial, s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key())).asByteArray());
                Files.setLastModifiedTime(partial, modified);
                Files.move(partial, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> f.toString().endsWith(".parquet") && !present.contains(f)).forEach(f -> {
                    try {
                        Files.delete(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return present.size();
    }
}
