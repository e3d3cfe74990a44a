package io.tributary.connect.s3.writer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local directory where one task writes Parquet files before upload. Each task holds a lock in
 * its own directory; directories whose lock nobody has held for a minute are left over from a killed worker and are
 * deleted (their records are delivered again from the committed offsets).
 */
public final class LocalBuffer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalBuffer.class);
    private static final String LOCK = ".lock";
    private static final long ABANDONED_AFTER_MS = 60_000;
    /**
     * Directories whose lock this JVM holds. Their lock files must not even be opened here: closing
     * any channel of a file releases every POSIX lock this process holds on it, so a probe from a
     * task of the same worker would free a live task's lock, and the next worker on the host (a
     * second worker, a benchmark) would then delete the live task's files.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicLong sequence = new AtomicLong();

    public LocalBuffer(Path base) throws IOException {
        Path root = base.resolve("tributary-s3-sink");
        // Tasks of one worker start in parallel: one at a time creates its dir and looks for abandoned ones.
        synchronized (LocalBuffer.class) {
            Files.createDirectories(root);
            deleteAbandoned(root);
            this.dir = Files.createDirectories(root.resolve(UUID.randomUUID().toString()));
            this.lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            this.lock = lockChannel.lock();
            HELD_HERE.add(dir.toAbsolutePath().normalize());
        }
    }

    /** A fresh file name in this task's directory. */
    Path newFile(String hint) {
        return dir.resolve(sequence.incrementAndGet() + "-" + hint.replaceAll("[^A-Za-z0-9=._-]", "_") + ".parquet");
    }

    public Path dir() {
        return dir;
    }

    private static void deleteAbandoned(Path root) throws IOException {
        long oldEnough = System.currentTimeMillis() - ABANDONED_AFTER_MS;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path other : dirs) {
                if (HELD_HERE.contains(other.toAbsolutePath().normalize()) || Files.getLastModifiedTime(other).toMillis() > oldEnough) {
                    continue; // a live task of this worker, or maybe one of another worker that has not locked it yet
                }
                try (FileChannel channel = FileChannel.open(other.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock free = channel.tryLock()) {
                    if (free != null) {
                        LOG.info("Deleting {}, left by a task that did not stop cleanly", other);
                        deleteTree(other);
                    }
                } catch (java.nio.channels.OverlappingFileLockException closingHere) {
                    // a task of this worker between releasing its lock and forgetting its directory
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
        HELD_HERE.remove(dir.toAbsolutePath().normalize());
        deleteTree(dir);
    }
}
