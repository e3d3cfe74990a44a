package io.tributary.devstack.process;

import io.tributary.devstack.Component;
import io.tributary.devstack.Health;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.StackException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A component whose server runs in a child JVM. Start-up polls {@link #health()} until it reports
 * healthy; if the process exits first, or the timeout passes, the error names the component and
 * quotes the end of its log.
 */
public abstract class ProcessComponent implements Component {
    private static final Duration POLL = Duration.ofMillis(250);
    /** Logging of child JVMs: info for Tributary, warnings from Kafka and the rest, to stdout (the log file). */
    public static final String CHILD_LOG_CONFIG = "tributary-devstack-log4j2.properties";
    private static final Duration STOP_GRACE = Duration.ofSeconds(45);

    protected final StackConfig config;
    protected final DevStackBuild build;
    private final String name;
    private final List<String> dependsOn;
    private volatile JavaProcess process;

    protected ProcessComponent(String name, List<String> dependsOn, StackConfig config, DevStackBuild build) {
        this.name = name;
        this.dependsOn = List.copyOf(dependsOn);
        this.config = config;
        this.build = build;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<String> dependsOn() {
        return dependsOn;
    }

    /** Writes the server's configuration and launches its process. */
    protected abstract JavaProcess launch();

    /** Runs once the server is healthy, for set-up that needs it running. */
    protected void afterReady() {
    }

    @Override
    public Path logFile() {
        return config.logDir().resolve(name() + ".log");
    }

    /** Starts {@code mainClass} on the devstack classpath with this component's log file. */
    protected JavaProcess startJava(List<String> jvmOptions, String mainClass, List<String> args, Map<String, String> env) {
        List<String> options = new java.util.ArrayList<>(jvmOptions);
        options.add("-Dlog4j2.configurationFile=" + CHILD_LOG_CONFIG);
        return JavaProcess.start(name(), build.classpath(), options, mainClass, args, env, logFile());
    }

    @Override
    public final void start() {
        process = launch();
        Instant deadline = Instant.now().plus(config.startTimeout());
        Health last = Health.down("not probed yet");
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new StackException(name() + " exited with code " + process.exitCode()
                        + " while starting. Last lines of " + process.logFile() + ":\n" + process.logTail(25));
            }
            last = health();
            if (last.healthy()) {
                afterReady();
                return;
            }
            sleep(POLL);
        }
        process.stop(STOP_GRACE);
        throw new StackException(name() + " did not become healthy within " + config.startTimeout().toSeconds()
                + " s (last probe: " + last.detail() + "). Last lines of " + process.logFile() + ":\n"
                + process.logTail(25));
    }

    @Override
    public void stop() {
        JavaProcess p = process;
        if (p != null) {
            p.stop(STOP_GRACE);
        }
    }

    @Override
    public void kill() {
        JavaProcess p = process;
        if (p != null) {
            p.kill();
        }
    }

    /** The running process, or null before start. */
    public JavaProcess process() {
        return process;
    }

    protected static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while waiting", e);
        }
    }
}
