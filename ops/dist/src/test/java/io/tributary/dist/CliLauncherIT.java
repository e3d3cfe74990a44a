package io.tributary.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unpacked CLI distribution's bin/tributary gives `replay` a class-data archive the JVM really
 * maps: the first replay records it, the next one loads the CLI's classes from it ({@code -Xlog:class+load}
 * says "shared objects file"), and after a jar of lib/ changes the JVM would refuse the old archive, so the
 * launcher records a new one in its place. The script's own logic (signals, failed runs) is
 * LauncherClassDataTest's.
 */
class CliLauncherIT {
    private static final String FROM_ARCHIVE = "io.tributary.cli.Tributary source: shared objects file";

    @TempDir
    static Path unpacked;

    private static Path cli;

    @BeforeAll
    static void unpack() throws Exception {
        Process tar = new ProcessBuilder("tar", "xzf", Distributions.CLI.archive().toString()).directory(unpacked.toFile())
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        cli = unpacked.resolve("tributary-cli-" + System.getProperty("tributary.version"));
    }

    @Test
    void replayRecordsItsClassDataArchiveThenLoadsClassesFromIt() throws Exception {
        Path cds = unpacked.resolve("cds");
        Map<String, String> env = Map.of("TRIBUTARY_CDS_DIR", cds.toString(), "TRIBUTARY_JAVA_OPTS", "-Xlog:class+load=info");

        String first = tributary(env, "replay", "--help");
        assertThat(first).contains("Usage: tributary replay").doesNotContain(FROM_ARCHIVE);
        Path archive = onlyArchive(cds);

        assertThat(tributary(env, "replay", "--help")).contains("Usage: tributary replay").contains(FROM_ARCHIVE);
        assertThat(tributary(Map.of("TRIBUTARY_CDS_DIR", cds.toString(), "TRIBUTARY_JAVA_OPTS", "-Xlog:class+load=info",
                "TRIBUTARY_CDS", "off"), "replay", "--help")).doesNotContain(FROM_ARCHIVE);

        try (Stream<Path> jars = Files.list(cli.resolve("lib"))) { // an upgraded jar
            Path jar = jars.filter(p -> p.getFileName().toString().startsWith("tributary-cli-")).findFirst().orElseThrow();
            Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plus(Duration.ofMinutes(5))));
        }
        assertThat(tributary(env, "replay", "--help")).doesNotContain(FROM_ARCHIVE);
        Path rerecorded = onlyArchive(cds);
        assertThat(rerecorded).isNotEqualTo(archive);
        assertThat(tributary(env, "replay", "--help")).contains(FROM_ARCHIVE);
    }

    /** Runs the unpacked CLI with only PATH, JAVA_HOME and {@code env}; its stdout and stderr, once it exited 0. */
    private static String tributary(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(cli.resolve("bin/tributary").toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(unpacked, "cli", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(unpacked.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        Process p = builder.start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("tributary %s finishes", String.join(" ", args)).isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as("tributary %s exits 0; it printed:%n%s", String.join(" ", args),
                out.lines().filter(l -> !l.contains("[class,load]")).toList()).isZero();
        return out;
    }

    private static Path onlyArchive(Path cds) throws IOException {
        try (Stream<Path> files = Files.list(cds)) {
            List<Path> all = files.toList();
            assertThat(all).as("one archive, no partial one").hasSize(1);
            assertThat(all.get(0).getFileName().toString()).matches("replay-\\d+\\.jsa");
            return all.get(0);
        }
    }
}
