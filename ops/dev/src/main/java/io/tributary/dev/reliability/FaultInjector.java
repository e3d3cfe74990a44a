package io.tributary.dev.reliability;

import io.tributary.devstack.connect.ConnectWorker;
import io.tributary.devstack.kafka.KafkaBroker;
import io.tributary.devstack.mariadb.MariaDbServer;
import io.tributary.devstack.stack.Stack;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Injects one {@link Fault} into a running stack and pipeline and waits until everything runs
 * again: the component is down for a moment (as after a real crash), then started as an operator or
 * a supervisor would, and the connectors are RUNNING again before the next fault.
 */
public final class FaultInjector {
    private static final Duration DOWNTIME = Duration.ofSeconds(2);
    private static final Duration RECOVERY = Duration.ofMinutes(3);

    private final Stack stack;
    private final IsolatedPipeline pipeline;
    private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);

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
        pipeline.rest().awaitRunning(pipeline.cdcConnector(), 1, RECOVERY, line -> { });
        pipeline.rest().awaitRunning(pipeline.sinkConnector(), -1, RECOVERY, line -> { });
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
}
