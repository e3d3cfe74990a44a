package io.tributary.dev.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cli.common.CliError;
import io.tributary.cli.connectors.ConnectRestClient;
import io.tributary.devstack.connect.ConnectWorker;
import io.tributary.devstack.kafka.KafkaBroker;
import io.tributary.devstack.mariadb.MariaDbServer;
import io.tributary.devstack.stack.Stack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Injects one {@link Fault} into a running stack and pipeline and waits until everything runs
 * again: the component is down for a moment (as after a real crash), then started as an operator or
 * a supervisor would, and the connectors are RUNNING again before the next fault. Like Strimzi's
 * {@code autoRestart}, the supervisor also restarts a task that FAILED because its database was
 * down when it started (Debezium fails rather than retries that), and counts those restarts.
 */
public final class FaultInjector {
    private static final Duration DOWNTIME = Duration.ofSeconds(2);
    private static final Duration RECOVERY = Duration.ofMinutes(3);
    /** Debezium retries a lost binlog connection after up to 10 s; a task can fail that long after looking RUNNING. */
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final Duration RESTART_INTERVAL = Duration.ofSeconds(5);

    private final Stack stack;
    private final IsolatedPipeline pipeline;
    private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
    private int taskRestarts;
    private final List<String> appExits = new ArrayList<>();

    public FaultInjector(Stack stack, IsolatedPipeline pipeline) {
        this.stack = stack;
        this.pipeline = pipeline;
    }

    public void inject(Fault fault) throws InterruptedException {
        switch (fault) {
            case CONNECT_WORKER_KILL -> killAndRestart(ConnectWorker.NAME);
            case STREAMS_APP_KILL -> {
                pipeline.app().kill();
                Thread.sleep(DOWNTIME.toMillis());
                pipeline.app().start(IsolatedPipeline.PII_SALT, RECOVERY);
            }
            case MARIADB_KILL -> killAndRestart(MariaDbServer.NAME);
            case BROKER_KILL -> killAndRestart(KafkaBroker.NAME);
            case CONNECTOR_RESTART -> pipeline.rest().restart(pipeline.cdcConnector());
            case MARIADB_RESTART -> stack.restart(MariaDbServer.NAME);
            case STACK_RESTART -> stack.restartAll();
        }
        injected.merge(fault, 1, Integer::sum);
        boolean databaseWasDown = fault == Fault.MARIADB_KILL || fault == Fault.MARIADB_RESTART
                || fault == Fault.STACK_RESTART;
        recover(pipeline.cdcConnector(), 1, databaseWasDown);
        recover(pipeline.sinkConnector(), -1, false);
        superviseApp(fault);
    }

    /**
     * The streams app stops itself on an error it cannot handle (a broker away longer than its
     * timeouts, say) and relies on its supervisor (systemd, Kubernetes) to start it again, as here.
     */
    private void superviseApp(Fault after) {
        if (pipeline.app().exited()) {
            appExits.add("after " + after + ": " + pipeline.app().exitReason());
            pipeline.app().start(IsolatedPipeline.PII_SALT, RECOVERY);
        }
        pipeline.app().awaitHealthy(RECOVERY);
    }

    /**
     * Waits until the connector and {@code tasks} tasks are RUNNING ({@code settle}: for
     * {@link #SETTLE} without a break), restarting FAILED tasks, each restart given
     * {@link #RESTART_INTERVAL} to show in the status before the next.
     */
    private void recover(String connector, int tasks, boolean settle) throws InterruptedException {
        ConnectRestClient rest = pipeline.rest();
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        long runningSince = -1;
        long lastRestart = System.nanoTime() - RESTART_INTERVAL.toNanos();
        String last = "no status yet";
        while (System.nanoTime() < deadline) {
            JsonNode status = rest.status(connector);
            long now = System.nanoTime();
            if (status == null || !ConnectRestClient.isRunning(status, tasks)) {
                runningSince = -1;
            } else if (runningSince < 0) {
                runningSince = now;
            }
            if (status != null && !ConnectRestClient.failedTasks(status).isEmpty()
                    && now - lastRestart >= RESTART_INTERVAL.toNanos()) {
                rest.restartFailed(connector);
                taskRestarts++;
                lastRestart = now;
            }
            if (runningSince >= 0 && (!settle || now - runningSince >= SETTLE.toNanos())) {
                return;
            }
            last = status == null ? "no such connector" : ConnectRestClient.summary(status);
            Thread.sleep(500);
        }
        throw new CliError("Connector " + connector + " did not recover within " + RECOVERY + " (" + last + ", "
                + taskRestarts + " failed tasks restarted so far); see the Connect worker's log");
    }

    private void killAndRestart(String component) throws InterruptedException {
        stack.kill(component);
        Thread.sleep(DOWNTIME.toMillis());
        stack.restart(component);
    }

    /** Faults injected so far, by kind. */
    public Map<Fault, Integer> injected() {
        return Map.copyOf(injected);
    }

    /** Failed tasks restarted during recovery, as a supervisor would. */
    public int taskRestarts() {
        return taskRestarts;
    }

    /** Times the streams app had exited by itself and was started again, as a supervisor would. */
    public int appRestarts() {
        return appExits.size();
    }

    /** Why the app had stopped each time it was restarted: the fault before it, exit code and last error line. */
    public List<String> appExits() {
        return List.copyOf(appExits);
    }
}
