package io.tributary.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.devstack.stack.Stack;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Problems found before anything starts: each gives a message that names the problem and the fix. */
class StackPreflightTest {
    @TempDir
    Path dir;
    private Set<Long> childrenBefore;

    @BeforeEach
    void rememberChildren() {
        childrenBefore = children();
    }

    @AfterEach
    void nothingWasLaunched() {
        assertThat(children()).isEqualTo(childrenBefore);
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private StackConfig config(int kafkaPort) {
        return StackConfig.defaults(dir).withPorts(kafkaPort, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void portInUseNamesThePortAndTheComponent() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(StackConfig.HOST, 0));
            int port = taken.getLocalPort();
            StackConfig config = StackConfig.defaults(dir).withPorts(port, free(), free(), free(), free(), free(), free());
            assertThatThrownBy(() -> new Stack(config, s -> { }).start())
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("Port " + port)
                    .hasMessageContaining("kafka broker listener")
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void samePortForTwoComponentsIsRejected() {
        int port = free();
        StackConfig config = StackConfig.defaults(dir).withPorts(port, free(), port, free(), free(), free(), free());
        assertThatThrownBy(() -> new Stack(config, s -> { }).start())
                .hasMessageContaining("Port " + port + " is configured for both");
    }

    @Test
    void corruptKafkaMetaPropertiesIsReportedAsACorruptDataDir() throws Exception {
        Files.createDirectories(dir.resolve("kafka"));
        Files.writeString(dir.resolve("kafka/meta.properties"), "\u0000garbage=\\u12");
        StackConfig config = StackConfig.defaults(dir).withPorts(free(), free(), free(), free(), free(), free(), free());
        assertThatThrownBy(() -> new Stack(config, s -> { }).start())
                .isInstanceOf(StackException.class)
                .hasMessageContaining("Kafka's data dir is corrupt")
                .hasMessageContaining("--reset");
    }

    @Test
    void kafkaDataWithoutMetaPropertiesIsReportedAsCorrupt() throws Exception {
        Files.createDirectories(dir.resolve("kafka/some-topic-0"));
        StackConfig config = StackConfig.defaults(dir).withPorts(free(), free(), free(), free(), free(), free(), free());
        assertThatThrownBy(() -> new Stack(config, s -> { }).start())
                .hasMessageContaining("holds data but no meta.properties");
    }

    @Test
    void dataDirThatIsAFileIsRejected() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        StackConfig config = StackConfig.defaults(file).withPorts(free(), free(), free(), free(), free(), free(), free());
        assertThatThrownBy(() -> new Stack(config, s -> { }).start())
                .hasMessageContaining("is not a directory");
    }

    @Test
    void missingPluginDirIsNamed() {
        StackConfig config = StackConfig.defaults(dir).withPorts(free(), free(), free(), free(), free(), free(), free())
                .withExtraPluginDirs(java.util.List.of(dir.resolve("no-such-plugin")));
        assertThatThrownBy(() -> new Stack(config, s -> { }).start())
                .hasMessageContaining("no-such-plugin").hasMessageContaining("does not exist");
    }

    static int free() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
