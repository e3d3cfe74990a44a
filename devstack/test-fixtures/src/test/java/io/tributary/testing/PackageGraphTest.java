package io.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageGraphTest {
    @TempDir
    Path src;

    @Test
    void findsTheCycleAndTheFilesThatCloseIt() throws IOException {
        write("a/A.java", "package x.a;\nimport x.b.B;\nclass A { B b; }\n");
        write("b/B.java", "package x.b;\n\nclass B { Object a = new x.a.A(); }\n");
        write("c/C.java", "package x.c;\nimport static x.a.A.make;\nimport x.b.B.Inner;\nclass C {}\n");

        PackageGraph graph = PackageGraph.of(src, "x");

        assertThat(graph.uses("x.c")).containsExactly("x.a", "x.b");
        List<List<PackageGraph.Use>> cycles = graph.cycles();
        assertThat(cycles).hasSize(1);
        assertThat(cycles.get(0)).extracting(PackageGraph.Use::from, PackageGraph.Use::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("x.a", "x.b"), org.assertj.core.groups.Tuple.tuple("x.b", "x.a"));
        assertThat(cycles.get(0).get(1).file()).isEqualTo(src.resolve("b/B.java"));
    }

    @Test
    void commentsStringsAndOtherLibrariesAreNoDependency() throws IOException {
        write("a/A.java", """
                package x.a;
                import java.util.List; // x.b.B in a comment
                /** See {@link x.b.B}. */
                class A {
                    String name = "x.b.B";
                    String block = \"""
                            x.b.B
                            \""";
                    char quote = '"';
                    List<String> names = List.of("x.b.B \\" x.b.B");
                }
                """);
        write("b/B.java", "package x.b;\nimport x.a.A;\nclass B {}\n");

        PackageGraph graph = PackageGraph.of(src, "x");

        assertThat(graph.uses("x.a")).isEmpty();
        assertThat(graph.uses("x.b")).containsExactly("x.a");
        assertThat(graph.cycles()).isEmpty();
    }

    @Test
    void aLongerCycleIsOneComponent() throws IOException {
        write("a/A.java", "package x.a;\nclass A { x.b.B b; }\n");
        write("b/B.java", "package x.b;\nclass B { x.c.C c; }\n");
        write("c/C.java", "package x.c;\nclass C { x.a.A a; }\n");
        write("d/D.java", "package x.d;\nclass D { x.a.A a; }\n");

        List<List<PackageGraph.Use>> cycles = PackageGraph.of(src, "x").cycles();

        assertThat(cycles).hasSize(1);
        assertThat(cycles.get(0)).extracting(PackageGraph.Use::from).containsExactly("x.a", "x.b", "x.c");
    }

    private void write(String name, String text) throws IOException {
        Path file = src.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
