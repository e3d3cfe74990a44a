package io.tributary.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a running stack leaves in its data dir for other commands: {@code stack.json} (the
 * orchestrator's pid, its ports, whether it is ready) and {@code stack.lock}, an OS file lock held
 * for the orchestrator's lifetime, so a second {@code up} on the same data dir is refused even if
 * {@code stack.json} is stale.
 */
public final class StackState {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A stack some process started, as read from its data dir. */
    public record Running(long pid, Instant startedAt, boolean ready, StackConfig config) {
        public boolean processAlive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    private StackState() {
    }

    public static Path file(Path dataDir) {
        return dataDir.resolve("stack.json");
    }

    /** Holds the data dir's lock until closed; throws if another process holds it. */
    public static AutoCloseable lock(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(dataDir.resolve("stack.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                String who = read(dataDir).map(r -> " (pid " + r.pid() + ", started " + r.startedAt() + ")").orElse("");
                throw new StackException("A stack is already running with data dir " + dataDir + who
                        + ". Use `tributary status` to see it, or `tributary down` to stop it.");
            }
            FileLock held = lock;
            return () -> {
                held.release();
                channel.close();
            };
        } catch (IOException e) {
            throw new StackException("Cannot lock the data dir " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public static void write(StackConfig config, Instant startedAt, boolean ready) {
        ObjectNode state = JSON.createObjectNode()
                .put("pid", ProcessHandle.current().pid())
                .put("startedAt", startedAt.toString())
                .put("ready", ready)
                .put("kafkaPort", config.kafkaPort())
                .put("controllerPort", config.controllerPort())
                .put("registryPort", config.registryPort())
                .put("connectPort", config.connectPort())
                .put("s3Port", config.s3Port())
                .put("mariadbPort", config.mariadbPort())
                .put("postgresPort", config.postgresPort())
                .put("connectMetricsPort", config.connectMetricsPort())
                .put("bucket", config.bucket());
        state.set("extraPluginDirs", JSON.valueToTree(config.extraPluginDirs().stream().map(Path::toString).toList()));
        try {
            Path tmp = file(config.dataDir()).resolveSibling("stack.json.tmp");
            Files.writeString(tmp, state.toPrettyString());
            Files.move(tmp, file(config.dataDir()), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StackException("Cannot write " + file(config.dataDir()) + ": " + e.getMessage(), e);
        }
    }

    public static Optional<Running> read(Path dataDir) {
        Path file = file(dataDir);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode s = JSON.readTree(file.toFile());
            StackConfig config = new StackConfig(dataDir, s.get("kafkaPort").asInt(), s.get("controllerPort").asInt(),
                    s.get("registryPort").asInt(), s.get("connectPort").asInt(), s.get("s3Port").asInt(),
                    s.get("mariadbPort").asInt(), s.path("postgresPort").asInt(StackConfig.DEFAULT_POSTGRES_PORT),
                    s.path("connectMetricsPort").asInt(StackConfig.DEFAULT_CONNECT_METRICS_PORT),
                    s.get("bucket").asText(),
                    pluginDirs(s.path("extraPluginDirs")),
                    StackConfig.DEFAULT_START_TIMEOUT);
            return Optional.of(new Running(s.get("pid").asLong(), Instant.parse(s.get("startedAt").asText()),
                    s.get("ready").asBoolean(), config));
        } catch (IOException | RuntimeException e) {
            throw new StackException("The stack state file " + file + " is corrupt (" + Errors.rootMessage(e)
                    + "). If no stack is running, delete it and start again.", e);
        }
    }

    private static List<Path> pluginDirs(JsonNode array) {
        List<Path> dirs = new java.util.ArrayList<>();
        array.forEach(d -> dirs.add(Path.of(d.asText())));
        return dirs;
    }

    public static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(file(dataDir));
        } catch (IOException e) {
            throw new StackException("Cannot delete " + file(dataDir) + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the process is gone; false if it is still alive after the timeout. */
    public static boolean awaitExit(long pid, Duration timeout) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return true;
        }
        try {
            handle.get().onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (Exception e) {
            return !handle.get().isAlive();
        }
    }
}
