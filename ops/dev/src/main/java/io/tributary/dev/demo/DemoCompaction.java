package io.tributary.dev.demo;

import io.tributary.cli.common.WorkDirs;
import io.tributary.cli.compact.Compactor;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.s3.LocalS3;
import io.tributary.lake.store.S3Storage;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.lake.LakeNames;
import io.tributary.schemas.lake.LakePath;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The demo's compaction: one pass of the compactor over the demo's lake, as compose.yaml's
 * {@code compactor} service (`tributary compact --every 1m`) makes one a minute, with its default
 * lateness (10m), idle close (1h) and target size (128 MiB). Those would close the demo's hours an hour
 * after they end; the demo's load has ended and everything sent is in S3, so its pass closes the current
 * hour too ({@link Compactor.Settings#closeCurrentHour()}): a row that comes later ({@code demo --keep},
 * a second run) reopens its hour and the next pass folds it in. It runs while the pipeline runs, as the
 * service does beside the sink, and the report's reconciliation then reads the compacted lake.
 */
final class DemoCompaction {
    private DemoCompaction() {
    }

    /** Runs the pass and prints each table-hour's objects before -> after. */
    static Compactor.Pass run(StackConfig stack, S3Client s3, Clock clock, PrintWriter out) throws Exception {
        String prefix = LakeNames.DEFAULT_TOPICS_DIR;
        Map<String, HourObjects.Count> before = HourObjects.list(s3, stack.bucket(), prefix);
        Path work = Files.createTempDirectory(stack.dataDir(), "compact-");
        Compactor.Pass pass;
        try (S3Storage store = new S3Storage(LocalS3.client(stack), stack.bucket(), 16 << 20, "", "")) {
            pass = new Compactor(store, new LakePath(prefix), work, new Compactor.Settings(128L << 20, Duration.ofMinutes(10),
                    Duration.ofDays(2), Duration.ofMinutes(2), Duration.ofHours(1), true), clock).pass(Contracts.PIPELINE_TABLES);
        } finally {
            WorkDirs.deleteRecursively(work);
        }
        Map<String, HourObjects.Count> after = HourObjects.list(s3, stack.bucket(), prefix);
        before.forEach((folder, count) -> {
            HourObjects.Count now = after.get(folder);
            out.printf("    %-40s %,5d objects -> %,d%n", folder, count.objects(), now == null ? 0 : now.objects());
        });
        out.printf("    %d hour(s) compacted of %d; an hour with a file the sink's marker still names waits for the next pass%n",
                pass.compacted(), pass.closedHours());
        out.flush();
        return pass;
    }
}
