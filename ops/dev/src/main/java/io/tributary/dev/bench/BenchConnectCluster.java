package io.tributary.dev.bench;

import io.tributary.devstack.StackConfig;
import io.tributary.devstack.connect.ConnectWorker;
import io.tributary.devstack.process.DevStackBuild;
import io.tributary.devstack.process.JavaProcess;
import io.tributary.devstack.process.ProcessComponent;
import io.tributary.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * A Connect cluster of its own for a benchmark: {@code workers} distributed workers (the stack's
 * worker settings and plugins, in a group and storage topics of their own, each its own JVM with
 * the stack worker's heap), so that a run can compare one worker with two on the same load without
 * touching the stack's connectors. Every worker has joined the group before the cluster is returned,
 * so a connector created on it spreads its tasks over all of them.
 */
final class BenchConnectCluster implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final StackConfig stack;
    private final String group;
    private final List<JavaProcess> workers;
    private final String url;

    private BenchConnectCluster(StackConfig stack, String group, List<JavaProcess> workers, String url) {
        this.stack = stack;
        this.group = group;
        this.workers = workers;
        this.url = url;
    }

    static BenchConnectCluster start(StackConfig stack, String group, int count, Path logs) throws InterruptedException {
        DevStackBuild build = DevStackBuild.load();
        int[] ports = FreePorts.pick(count);
        List<JavaProcess> workers = new ArrayList<>();
        BenchConnectCluster cluster = new BenchConnectCluster(stack, group, workers, url(ports[0]));
        try {
            for (int i = 0; i < count; i++) {
                Path properties = logs.resolve(group + "-worker-" + (i + 1) + ".properties");
                ConnectWorker.writeProperties(properties, stack, build, group, ports[i]);
                workers.add(JavaProcess.start(group + " worker " + (i + 1), build.classpath(),
                        List.of("-Xms256m", "-Xmx1g", "-Dlog4j2.configurationFile=" + ProcessComponent.CHILD_LOG_CONFIG),
                        "org.apache.kafka.connect.cli.ConnectDistributed", List.of(properties.toString()),
                        ConnectWorker.environment(stack), logs.resolve(group + "-worker-" + (i + 1) + ".log")));
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            for (int i = 0; i < count; i++) {
                awaitHealthy(workers.get(i), url(ports[i]), deadline);
            }
            return cluster;
        } catch (RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
    }

    /** The REST API of the cluster's first worker (any worker forwards to the leader). */
    String url() {
        return url;
    }

    Set<Long> pids() {
        Set<Long> pids = new LinkedHashSet<>();
        workers.forEach(w -> pids.add(w.pid()));
        return pids;
    }

    int size() {
        return workers.size();
    }

    /** Stops the workers and deletes the cluster's config, offset and status topics. */
    @Override
    public void close() {
        workers.forEach(w -> w.stop(Duration.ofSeconds(30)));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.deleteTopics(List.of("_" + group + "-configs", "_" + group + "-offsets", "_" + group + "-status"))
                    .all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Topics of a cluster that never started, or a broker going away: nothing the run needs.
        }
    }

    private static void awaitHealthy(JavaProcess worker, String url, long deadline) throws InterruptedException {
        String last = "not probed yet";
        while (System.nanoTime() < deadline) {
            if (!worker.isAlive()) {
                throw new IllegalStateException(worker.name() + " exited with code " + worker.exitCode() + "; the end of "
                        + worker.logFile() + ":\n" + worker.logTail(30));
            }
            try {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + health.statusCode() + " " + health.body();
            } catch (java.io.IOException e) {
                last = e.getClass().getSimpleName() + " " + e.getMessage();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(worker.name() + " was not healthy within 3 minutes (" + last + "); see " + worker.logFile());
    }

    private static String url(int port) {
        return "http://" + StackConfig.HOST + ":" + port;
    }
}
