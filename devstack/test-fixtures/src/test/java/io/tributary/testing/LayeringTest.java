package io.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering rule Maven cannot enforce: inside every module of the repository, packages form no
 * cycle. (Between modules, Maven's reactor already refuses a cycle, and ProductionClasspathTest in
 * ops/cli keeps the dev stack out of the production CLI.)
 */
class LayeringTest {
    private static final Path REPO = Path.of(System.getProperty("tributary.home", "../..")).toAbsolutePath().normalize();

    @Test
    void noModuleHasAPackageCycle() throws IOException {
        List<Path> roots = mainSourceRoots();
        assertThat(roots).as("the modules' main source trees under %s", REPO)
                .contains(REPO.resolve("streams-app/src/main/java"), REPO.resolve("ops/cli/src/main/java"));
        String cycles = roots.stream().map(root -> describe(REPO.relativize(root), PackageGraph.read(root, "io.tributary").cycles()))
                .collect(Collectors.joining());
        assertThat(cycles).withFailMessage("Package cycles, each with the uses that close it:%n%s", cycles).isEmpty();
    }

    private static List<Path> mainSourceRoots() throws IOException {
        try (Stream<Path> dirs = Files.walk(REPO)) {
            return dirs.filter(d -> d.endsWith(Path.of("src", "main", "java")) && Files.isDirectory(d))
                    .filter(d -> REPO.relativize(d).toString().split("/")[0].charAt(0) != '.')
                    .filter(d -> !d.toString().contains("/target/")).sorted().toList();
        }
    }

    private static String describe(Path module, List<List<PackageGraph.Use>> cycles) {
        return cycles.stream().map(cycle -> module + ":\n" + cycle.stream()
                .map(u -> "  " + u.from() + " -> " + u.to() + " (" + u.file().getFileName() + ")\n")
                .collect(Collectors.joining())).collect(Collectors.joining());
    }
}
