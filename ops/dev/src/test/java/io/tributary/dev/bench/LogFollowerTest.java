package io.tributary.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFollowerTest {
    @TempDir
    Path dir;

    @Test
    void returnsEachWholeLineOnceAndKeepsAPartialLineForLater() throws Exception {
        Path log = dir.resolve("child.log");
        LogFollower follower = new LogFollower(log);
        assertThat(follower.newLines()).as("no file yet").isEmpty();

        append(log, "history: 5 master changes\n[##--] 1/2 hours  東京");
        assertThat(follower.newLines()).containsExactly("history: 5 master changes");
        assertThat(follower.newLines()).isEmpty();

        append(log, " 2026\nlast\n");
        assertThat(follower.newLines()).containsExactly("[##--] 1/2 hours  東京 2026", "last");
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
