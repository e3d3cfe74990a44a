package io.tributary.dev.reliability;

import io.tributary.devstack.StackException;
import io.tributary.devstack.process.JavaProcess;
import io.tributary.streams.TributaryStreamsApp;
import io.tributary.streams.config.PipelineConfig;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The streams app in a JVM of its own, as deployed, so that a fault test can SIGKILL it in the
 * middle of a transaction. It runs {@link TributaryStreamsApp} with a properties file on this JVM's
 * classpath and is healthy when its {@code /health} answers 200 (both Kafka Streams apps RUNNING).
 */
public final class StreamsAppProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Map<String, String> config;
    private final Path dir;
    private final int metricsPort;
    private JavaProcess process;

    /** {@code config} holds pipeline keys (no secrets: the PII salt goes through the environment). */
    public StreamsAppProcess(String name, Map<String, String> config, Path dir) {
        this.name = name;
        this.config = config;
        this.dir = dir;
        this.metricsPort = Integer.parseInt(config.get(PipelineConfig.METRICS_PORT));
    }

    /** Starts the app and waits until it runs; fails with the end of its log when it does not. */
    public void start(String piiSalt, Duration timeout) {
        Path props = dir.resolve(name + ".properties");
        try {
            Files.createDirectories(dir);
            Properties p = new Properties();
            p.putAll(config);
            try (Writer w = Files.newBufferedWriter(props)) {
                p.store(w, "streams app of a fault run");
            }
        } catch (IOException e) {
            throw new StackException("Cannot write " + props + ": " + e.getMessage(), e);
        }
        List<Path> classpath = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(Path::of).toList();
        process = JavaProcess.start(name, classpath, List.of("-Xmx512m"), TributaryStreamsApp.class.getName(),
                List.of(props.toString()), Map.of(PipelineConfig.envName(PipelineConfig.PII_SALT), piiSalt),
                dir.resolve(name + ".log"));
        awaitHealthy(timeout);
    }

    /** SIGKILL, as a crash: its open transactions are aborted by the broker, not committed. */
    public void kill() {
        process.kill();
    }

    /** SIGTERM and wait: a graceful stop. */
    public void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(60));
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Whether the process has exited (by itself: a crash, or the app stopping on an error it cannot handle). */
    public boolean exited() {
        return process != null && !process.isAlive();
    }

    /** Exit code and the last ERROR line of its log: why an app that {@link #exited()} stopped. */
    public String exitReason() {
        String error = process.logTail(200).lines().filter(line -> line.contains("ERROR"))
                .reduce((first, second) -> second).orElse("no ERROR line in " + dir.resolve(name + ".log"));
        return "exit code " + process.exitCode() + ", " + error.strip();
    }

    /** Waits until the app is healthy again; fails with the end of its log when it exits or stays unhealthy. */
    public void awaitHealthy(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!healthy()) {
            if (exited()) {
                throw new StackException(name + " exited with code " + process.exitCode() + ":\n" + process.logTail(25));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StackException(name + " is not healthy after " + timeout + ":\n" + process.logTail(25));
            }
            sleep(Duration.ofMillis(250));
        }
    }

    public boolean healthy() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted", e);
        }
    }
}
