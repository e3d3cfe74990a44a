package io.tributary.dev.dashboard;

import io.tributary.dashboard.DashboardConfig;
import io.tributary.dashboard.DashboardMain;
import io.tributary.devstack.StackException;
import io.tributary.schemas.config.ConfigFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The dashboard service in a JVM of its own (its Jetty 12.1 cannot share the dev stack's classpath,
 * which has Jetty 12.0), configured through TRIBUTARY_* variables as a deployment would be, with one
 * user whose password hash it is given. Its output goes to a log file; {@link #url()} is the page.
 */
public final class DashboardProcess implements AutoCloseable {
    private final Process process;
    private final String url;

    public DashboardProcess(String bootstrapServers, String topicPrefix, ZoneId displayZone, int port, String user,
            String passwordHash, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", classpath(), DashboardMain.class.getName());
        pb.environment().putAll(Map.of(
                ConfigFiles.envName(DashboardConfig.BOOTSTRAP_SERVERS), bootstrapServers,
                ConfigFiles.envName(DashboardConfig.PORT), String.valueOf(port),
                ConfigFiles.envName(DashboardConfig.TOPIC_PREFIX), topicPrefix,
                ConfigFiles.envName(DashboardConfig.DISPLAY_ZONE), displayZone.getId(),
                ConfigFiles.envName(DashboardConfig.USERS), user,
                ConfigFiles.envName(DashboardConfig.hashKey(user)), passwordHash));
        pb.redirectErrorStream(true);
        Files.createDirectories(log.toAbsolutePath().getParent());
        process = pb.start();
        CompletableFuture<String> started = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            String last = "";
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    var out = Files.newBufferedWriter(log)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    last = line.isBlank() || Character.isWhitespace(line.charAt(0)) ? last : line; // not a stack frame
                    if (line.startsWith("Dashboard: ")) {
                        started.complete(line.substring("Dashboard: ".length()).trim());
                    }
                }
                started.completeExceptionally(new StackException("The dashboard page exited with code " + process.waitFor()
                        + " before serving (" + last.trim() + "); see " + log));
            } catch (Exception e) {
                started.completeExceptionally(e);
            }
        }, "dashboard-output");
        pump.setDaemon(true);
        pump.start();
        try {
            url = started.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw e.getCause() instanceof StackException s ? s
                    : new StackException("The dashboard page did not start within 60 s; see " + log, e);
        }
    }

    /** The page, e.g. http://127.0.0.1:18088/. */
    public String url() {
        return url;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * The service's classes (a jar, or target/classes in a reactor build) and its runtime classpath,
     * which its build writes next to them.
     */
    private static String classpath() throws IOException, URISyntaxException {
        Path code = Path.of(DashboardMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = DashboardMain.class.getResourceAsStream("runtime.classpath")) {
            if (in == null) {
                throw new IOException("no runtime.classpath next to " + code + ": rebuild ops/dashboard (mvn -B -DskipTests package)");
            }
            return code + java.io.File.pathSeparator + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
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
