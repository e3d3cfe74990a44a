package io.tributary.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Directories tests make and must remove: the test stack's data dir, the TopologyTestDrivers' state
 * dirs (a driver removes its tasks' stores, not the dir it was given; a full build once left thousands
 * in /tmp).
 */
public final class TestDirs {
    private TestDirs() {
    }

    /** A fresh directory under the system's temporary directory. */
    public static Path fresh(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code dir} and everything in it; nothing when it does not exist. */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the test directory " + dir, e);
        }
    }
}
