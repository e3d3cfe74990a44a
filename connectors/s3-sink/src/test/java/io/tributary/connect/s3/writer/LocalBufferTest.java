package io.tributary.connect.s3.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live task directories survive the clean-up of abandoned ones, also across processes: a second
 * task of the same worker looking for abandoned directories must not free a live task's lock (a
 * POSIX lock goes with any channel of its file that the process closes), or another worker on the
 * host deletes the live task's files (seen in CI: "NoSuchFileException" on the task's next file).
 */
class LocalBufferTest {
    @TempDir
    Path base;

    @Test
    void aLiveTasksDirectoryOutlivesAnotherTaskOfItsWorkerAndAnotherWorkerOnTheHost() throws Exception {
        try (LocalBuffer live = new LocalBuffer(base)) {
            // Idle for a while: old enough to look abandoned by its age alone.
            Files.setLastModifiedTime(live.dir(), FileTime.fromMillis(System.currentTimeMillis() - 120_000));
            try (LocalBuffer sameWorker = new LocalBuffer(base)) {
                Process otherWorker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), OtherWorker.class.getName(), base.toString())
                        .inheritIO().start();
                assertThat(otherWorker.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(otherWorker.exitValue()).isZero();

                assertThat(live.dir()).isDirectory();
                assertThat(sameWorker.dir()).isDirectory();
            }
        }
    }

    @Test
    void aDirectoryWhoseTaskIsGoneIsDeletedOnceOldEnough() throws Exception {
        Path abandoned = base.resolve("tributary-s3-sink").resolve("killed-task");
        Files.createDirectories(abandoned);
        Files.writeString(abandoned.resolve("1-t-0.parquet"), "left over");
        Files.setLastModifiedTime(abandoned, FileTime.fromMillis(System.currentTimeMillis() - 120_000));

        try (LocalBuffer next = new LocalBuffer(base)) {
            assertThat(abandoned).doesNotExist();
        }
    }

    /** A task of another worker process starting on the same host. */
    public static final class OtherWorker {
        public static void main(String[] args) throws Exception {
            try (LocalBuffer starting = new LocalBuffer(Path.of(args[0]))) {
                System.out.println("another worker's task started in " + starting.dir());
            }
        }
    }
}
