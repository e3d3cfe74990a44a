package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launchers' class-data archive for `replay` (src/main/dist/bin/tributary-java.sh), run by the
 * shells that source it (dash as a distribution's /bin/sh, bash as the checkout's ./tributary) with
 * a stand-in java that records its arguments and writes the archive it is asked to: the archive is
 * recorded once and then mapped, named by the jars so that a new build records its own, kept only from
 * a run that replayed (not a dry run or help) and succeeded, and a SIGTERM to the launcher reaches a
 * recording JVM. Every `replay` also gets the launcher's C2 thresholds, before TRIBUTARY_JAVA_OPTS
 * (which can override them); other commands get neither. The real JVM's side (a replay maps the
 * classes the first replay recorded, and starts with those thresholds) is DistributionsIT's, on the
 * unpacked distribution and the local stack.
 */
class LauncherClassDataTest {
    private static final Path HELPER = Path.of("src/main/dist/bin/tributary-java.sh").toAbsolutePath();
    /** The replay's C2 thresholds, as the launcher passes them. */
    private static final String JIT = "-XX:Tier4InvocationThreshold=20000 -XX:Tier4MinInvocationThreshold=2400 "
            + "-XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=160000";
    private static final String FAKE_JAVA = """
            #!/bin/sh
            echo "$*" >> "$FAKE_LOG"
            for a in "$@"; do case $a in -XX:ArchiveClassesAtExit=*) out=${a#*=} ;; esac; done
            trap 'echo terminated >> "$FAKE_LOG"; exit 143' TERM
            if [ -n "${FAKE_BLOCK:-}" ]; then
              touch "$FAKE_BLOCK"
              i=0
              while [ "$i" -lt 400 ]; do sleep 0.05; i=$((i + 1)); done # 20 s at most, should a broken launcher orphan it
            fi
            if [ -n "${out:-}" ]; then echo archive > "$out"; fi
            exit "${FAKE_EXIT:-0}"
            """;

    @TempDir
    Path dir;
    private Path java;
    private Path log;
    private Path cds;
    private Path jarA;
    private Path jarB;

    @BeforeEach
    void fakeJavaAndJars() throws IOException {
        java = Files.writeString(dir.resolve("java"), FAKE_JAVA);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        log = dir.resolve("java.log");
        cds = dir.resolve("cds");
        jarA = Files.writeString(dir.resolve("a.jar"), "a");
        jarB = Files.writeString(dir.resolve("b.jar"), "b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "bash"})
    void replayRecordsTheArchiveOnceThenMapsIt(String shell) throws Exception {
        assertThat(run(shell, Map.of(), "replay", "--table", "app_events").exitValue()).isZero();
        String recorded = lastJavaLine();
        assertThat(recorded).containsPattern("-XX:ArchiveClassesAtExit=" + cds + "/replay-\\d+\\.\\d+\\.partial ")
                .contains(" " + JIT + " -Dtributary.home=").endsWith("io.tributary.cli.Tributary replay --table app_events");
        Path archive = onlyArchive();
        assertThat(Files.readString(archive)).isEqualTo("archive\n");

        assertThat(run(shell, Map.of(), "replay", "--table", "app_events").exitValue()).isZero();
        assertThat(lastJavaLine()).startsWith("-XX:SharedArchiveFile=" + archive + " ").doesNotContain("ArchiveClassesAtExit")
                .contains(" " + JIT + " -Dtributary.home=");
        assertThat(onlyArchive()).isEqualTo(archive);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "bash"})
    void aDryRunOrHelpRecordsNothingButMapsARecordedArchive(String shell) throws Exception {
        for (String arg : List.of("--dry-run", "--help", "-h", "--version", "-V")) {
            run(shell, Map.of(), "replay", "--table", "app_events", arg);
            assertThat(lastJavaLine()).as(arg).startsWith(JIT + " -Dtributary.home=");
        }
        assertThat(archives()).isEmpty();

        run(shell, Map.of(), "replay", "--table", "app_events");
        Path archive = onlyArchive();
        run(shell, Map.of(), "replay", "--table", "app_events", "--dry-run");
        assertThat(lastJavaLine()).startsWith("-XX:SharedArchiveFile=" + archive + " ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "bash"})
    void aNewBuildRecordsItsOwnArchiveAndTheOldOneGoes(String shell) throws Exception {
        run(shell, Map.of(), "replay");
        Path first = onlyArchive();
        Files.setLastModifiedTime(jarB, FileTime.from(Instant.now().plus(Duration.ofMinutes(5)))); // a rebuilt jar

        run(shell, Map.of(), "replay");
        assertThat(lastJavaLine()).contains("-XX:ArchiveClassesAtExit=");
        assertThat(onlyArchive()).isNotEqualTo(first);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "bash"})
    void aFailedRunKeepsNoArchiveAndExitsWithTheJvmsCode(String shell) throws Exception {
        assertThat(run(shell, Map.of("FAKE_EXIT", "3"), "replay").exitValue()).isEqualTo(3);
        assertThat(lastJavaLine()).contains("-XX:ArchiveClassesAtExit=");
        assertThat(archives()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "bash"})
    void sigtermToTheLauncherStopsTheRecordingJvm(String shell) throws Exception {
        Path started = dir.resolve("started");
        Process launcher = start(shell, Map.of("FAKE_BLOCK", started.toString()), "replay");
        for (int i = 0; i < 200 && !Files.exists(started); i++) {
            Thread.sleep(25);
        }
        assertThat(started).as("the stand-in java started").exists();
        launcher.destroy(); // SIGTERM to the launcher's shell only
        assertThat(launcher.waitFor(10, TimeUnit.SECONDS)).as("the launcher ends").isTrue();
        assertThat(launcher.exitValue()).isEqualTo(143);
        assertThat(Files.readAllLines(log)).contains("terminated");
        assertThat(archives()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "bash"})
    void otherCommandsAClassDirectoryOrCdsOffRunWithoutAnArchive(String shell) throws Exception {
        run(shell, Map.of(), "query", "--sql", "select 1");
        assertThat(lastJavaLine()).startsWith("-Dtributary.home=").endsWith("io.tributary.cli.Tributary query --sql select 1");

        run(shell, Map.of("TRIBUTARY_CDS", "off"), "replay");
        assertThat(lastJavaLine()).startsWith(JIT + " -Dtributary.home=");

        Path classes = Files.createDirectories(dir.resolve("classes"));
        assertThat(runOn(classes + ":" + jarA, shell, Map.of(), "replay").exitValue()).isZero();
        assertThat(lastJavaLine()).startsWith(JIT + " -Dtributary.home=");
        assertThat(archives()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "bash"})
    void javaOptionsComeAfterTheLaunchersOwn(String shell) throws Exception {
        run(shell, Map.of("TRIBUTARY_JAVA_OPTS", "-Xmx1g -Xlog:cds=info"), "replay");
        assertThat(lastJavaLine()).contains("-Xlog:cds=off -Xlog:cds+dynamic=off " + JIT + " -Xmx1g -Xlog:cds=info -Dtributary.home=");

        run(shell, Map.of("TRIBUTARY_JAVA_OPTS", "-XX:Tier4InvocationThreshold=5000"), "replay");
        assertThat(lastJavaLine()).contains(JIT + " -XX:Tier4InvocationThreshold=5000 -Dtributary.home="); // the last one counts
    }

    private Process run(String shell, Map<String, String> env, String... args) throws Exception {
        return runOn(jarA + ":" + jarB, shell, env, args);
    }

    private Process runOn(String classpath, String shell, Map<String, String> env, String... args) throws Exception {
        Process p = startOn(classpath, shell, env, args);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p;
    }

    private Process start(String shell, Map<String, String> env, String... args) throws IOException {
        return startOn(jarA + ":" + jarB, shell, env, args);
    }

    private Process startOn(String classpath, String shell, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(shell, "-c",
                "set -eu; . \"$1\"; shift; tributary_java \"$@\"", "launcher", HELPER.toString(), java.toString(), "/opt/tributary",
                classpath));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("launcher.out").toFile());
        builder.environment().remove("TRIBUTARY_JAVA_OPTS");
        builder.environment().remove("TRIBUTARY_CDS");
        builder.environment().put("TRIBUTARY_CDS_DIR", cds.toString());
        builder.environment().put("FAKE_LOG", log.toString());
        builder.environment().putAll(env);
        return builder.start();
    }

    private String lastJavaLine() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.equals("terminated")).toList();
        return lines.get(lines.size() - 1);
    }

    private List<Path> archives() throws IOException {
        if (!Files.isDirectory(cds)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cds)) {
            return files.sorted().toList();
        }
    }

    /** The only file in the archive directory: an archive, no partial one beside it. */
    private Path onlyArchive() throws IOException {
        List<Path> files = archives();
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString()).matches("replay-\\d+\\.jsa");
        return files.get(0);
    }
}
