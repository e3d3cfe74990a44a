package io.tributary.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * State dirs of the test fixtures' TopologyTestDrivers: a fresh one per driver, deleted when the fixture
 * closes (the driver removes its tasks' stores, not the dir it was given; a full build left thousands).
 */
public final class TestStateDirs {
    private TestStateDirs() {
    }

    public static Path fresh() {
        try {
            return Files.createTempDirectory("tributary-ttd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the test state dir " + dir, e);
        }
    }
}
