package io.tributary.dev.demo;

import io.tributary.schemas.lake.LakePath;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The data objects of a lake per table-hour folder ({@code <table>/dt=D/hour=H}), as Athena would
 * list them: Parquet objects under the table folders, Tributary's own {@code _} folders left out.
 * The demo and `bench compact` show compaction with it (objects and bytes before and after).
 */
public final class HourObjects {
    /** Objects and their bytes in one folder. */
    public record Count(int objects, long bytes) {
        Count plus(long size) {
            return new Count(objects + 1, bytes + size);
        }
    }

    private HourObjects() {
    }

    /** Folder ({@code table/dt=D/hour=H}) -> its data objects, sorted by folder. */
    public static Map<String, Count> list(S3Client s3, String bucket, String prefix) {
        Map<String, Count> folders = new TreeMap<>();
        String root = prefix.isEmpty() ? "" : prefix + "/";
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(root)).contents()) {
            String rest = o.key().substring(root.length());
            int file = rest.lastIndexOf('/');
            if (file < 0 || !rest.endsWith(LakePath.EXTENSION) || rest.startsWith("_") || rest.contains("/_")) {
                continue;
            }
            folders.merge(rest.substring(0, file), new Count(1, o.size()), (a, b) -> a.plus(b.bytes()));
        }
        return folders;
    }
}
