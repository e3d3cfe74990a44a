package io.tributary.e2e;

import io.tributary.dashboard.auth.Passwords;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard service in a JVM of its own (its Jetty 12.1 cannot share the dev stack's classpath),
 * configured through TRIBUTARY_* variables as a deployment would be, on a free port, with one user.
 */
final class DashboardProcess implements AutoCloseable {
    static final String USER = "demo";
    static final String PASSWORD = "demo-パスワード";
    private final Process process;
    final String url;

    DashboardProcess(String bootstrapServers, String topicPrefix, int port, Path log) throws Exception {
        Path classes = Path.of(System.getProperty("tributary.it.dashboard.classes", "../dashboard/target/classes"));
        String runtime = Files.readString(classes.resolve("io/tributary/dashboard/runtime.classpath")).trim();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", classes + java.io.File.pathSeparator + runtime, "io.tributary.dashboard.DashboardMain");
        pb.environment().putAll(Map.of(
                "TRIBUTARY_BOOTSTRAP_SERVERS", bootstrapServers,
                "TRIBUTARY_DASHBOARD_PORT", String.valueOf(port),
                "TRIBUTARY_DASHBOARD_TOPIC_PREFIX", topicPrefix,
                "TRIBUTARY_DASHBOARD_DISPLAY_ZONE", "Asia/Tokyo",
                "TRIBUTARY_DASHBOARD_USERS", USER,
                "TRIBUTARY_DASHBOARD_USER_DEMO_PASSWORD_HASH", Passwords.hash(PASSWORD.toCharArray(), 10_000)));
        pb.redirectErrorStream(true);
        Files.createDirectories(log.getParent());
        process = pb.start();
        CompletableFuture<String> started = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    var out = Files.newBufferedWriter(log)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    if (line.startsWith("Dashboard: ")) {
                        started.complete(line.substring("Dashboard: ".length()).trim());
                    }
                }
                started.completeExceptionally(new IllegalStateException("the dashboard exited " + process.waitFor() + "; see " + log));
            } catch (Exception e) {
                started.completeExceptionally(e);
            }
        }, "dashboard-output");
        pump.setDaemon(true);
        pump.start();
        try {
            url = started.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
