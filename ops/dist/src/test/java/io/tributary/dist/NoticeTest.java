package io.tributary.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dist.NoticeFile.Artifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * NOTICE names every third-party jar the distributions bundle, under its licence, and is
 * what the generator makes of today's dependencies. Regenerate with
 * {@code mvn -B -pl ops/dist -am package -DskipTests && mvn -B -pl ops/dist test -Dtest=NoticeTest -Dtributary.notice.update=true}.
 */
class NoticeTest {
    private static final Path NOTICE = Distributions.REPO.resolve("NOTICE");
    private final NoticeFile generator = new NoticeFile(Path.of(System.getProperty("maven.repo.local",
            System.getProperty("user.home") + "/.m2/repository")), Distributions.REPO.resolve("ops/dist/licenses-overrides.properties"));

    @Test
    void noticeIsGeneratedFromTheBundledDependencies() throws IOException {
        Set<Artifact> all = new LinkedHashSet<>();
        Distributions.all().forEach(d -> all.addAll(NoticeFile.bundled(d.dependencyList())));
        String expected = generator.render(all);
        if (Boolean.getBoolean("tributary.notice.update")) {
            Files.writeString(NOTICE, expected);
        }
        assertThat(Files.readString(NOTICE)).as("NOTICE is stale; regenerate it as NoticeTest's javadoc says").isEqualTo(expected);
        assertThat(expected).contains("Apache License 2.0:\n", "  org.apache.kafka:kafka-streams:");
    }

    @Test
    void everyJarInEveryDistributionIsOneOfItsListedDependenciesAndNamedInNotice() throws IOException {
        String notice = Files.readString(NOTICE);
        for (Distributions d : Distributions.all()) {
            List<Artifact> listed = NoticeFile.bundled(d.dependencyList());
            assertThat(listed).as(d.name()).isNotEmpty();
            Path lib = d.dir().resolve("lib");
            Set<String> jars;
            try (Stream<Path> files = Files.list(lib)) {
                jars = new java.util.TreeSet<>(files.map(p -> p.getFileName().toString()).toList());
            }
            Set<String> expected = new java.util.TreeSet<>(listed.stream().map(Artifact::jarName).toList());
            expected.add(ownJar(d));
            assertThat(jars).as("the jars in %s", lib).isEqualTo(expected);
            for (Artifact a : listed) {
                if (!a.ours()) {
                    assertThat(notice).as("NOTICE names %s, bundled in %s", a.coordinates(), d).contains("  " + a.coordinates() + "\n");
                }
            }
            Path docs = d == Distributions.CONNECT_PLUGIN ? d.dir().resolve("doc") : d.dir();
            assertThat(docs.resolve("LICENSE")).hasSameTextualContentAs(Distributions.REPO.resolve("LICENSE"));
            assertThat(docs.resolve("NOTICE")).hasSameTextualContentAs(NOTICE);
        }
    }

    private static String ownJar(Distributions d) {
        String artifact = switch (d) {
            case STREAMS_APP -> "tributary-streams-app";
            case CLI -> "tributary-cli";
            case DASHBOARD -> "tributary-dashboard";
            case CONNECT_PLUGIN -> "tributary-s3-sink";
        };
        return artifact + "-" + System.getProperty("tributary.version") + ".jar";
    }
}
