package io.tributary.devstack;

import static io.tributary.devstack.StackPreflightTest.free;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.devstack.stack.Stack;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A component that fails after others started: the error names it, and nothing is left running. */
class StackFailureIT {
    @TempDir
    Path dir;

    @Test
    void failingComponentStopsEverythingAlreadyStarted() throws Exception {
        Files.writeString(dir.resolve("mariadb"), "a file where MariaDB's data dir should be");
        StackConfig config = StackConfig.defaults(dir).withPorts(free(), free(), free(), free(), free(), free(), free());
        Set<Long> before = children();
        List<String> progress = new ArrayList<>();

        assertThatThrownBy(() -> new Stack(config, progress::add).start())
                .isInstanceOf(StackException.class)
                .hasMessageContaining("Component 'mariadb' failed to start")
                .hasMessageContaining("exited with code");

        assertThat(progress).contains("Stopping kafka ...", "Stopping s3 ...");
        assertThat(children()).isEqualTo(before);
        for (int port : List.of(config.kafkaPort(), config.s3Port())) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(StackConfig.HOST, port)); // free again
            }
        }
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }
}
