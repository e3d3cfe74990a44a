package io.tributary.e2e;

import io.tributary.cli.Tributary;
import io.tributary.cli.common.TributaryHome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * `tributary replay` in a child JVM (this test's classpath, settings as environment variables), killed
 * with SIGKILL ({@link Process#destroyForcibly}) at a seeded random moment after it printed its
 * history line, as a crashed host would stop it: nothing in the process runs after the signal.
 */
final class KilledReplay {
    private final Map<String, String> env;
    private final Path log;
    private final Random random;

    KilledReplay(Map<String, String> env, Path log, long seed) {
        this.env = env;
        this.log = log;
        this.random = new Random(seed);
    }

    /** Runs the replay and kills it {@code killWithinMs} (random, uniform) after "history:"; returns the last line it printed. */
    String runAndKill(List<String> args, int killWithinMs) throws Exception {
        Process process = start(args);
        AtomicReference<String> last = new AtomicReference<>("(nothing)");
        Object history = new Object();
        boolean[] loaded = {false};
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    System.out.println("  child> " + line);
                    last.set(line);
                    if (line.startsWith("history:")) {
                        synchronized (history) {
                            loaded[0] = true;
                            history.notifyAll();
                        }
                    }
                }
            } catch (IOException e) {
                // the process died: its output ends here
            }
        });
        reader.start();
        synchronized (history) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (!loaded[0] && process.isAlive() && System.currentTimeMillis() < deadline) {
                history.wait(200);
            }
        }
        Thread.sleep(random.nextInt(killWithinMs));
        boolean killed = process.isAlive();
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(5_000);
        return (killed ? "killed after: " : "finished before the kill (exit " + process.exitValue() + "): ") + last.get();
    }

    /** Runs the replay to its end; returns its exit code. */
    int run(List<String> args) throws Exception {
        Process process = start(args);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println("  child> " + line);
            }
        }
        return process.waitFor();
    }

    private Process start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-D" + TributaryHome.PROPERTY + "=" + TributaryHome.root().toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), Tributary.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return builder.start();
    }
}
