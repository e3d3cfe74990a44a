package io.tributary.devstack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One server of the local stack. A component knows how to check its preconditions, launch itself,
 * probe its health from its endpoint alone (so `tributary status` can probe a stack another process
 * started), and stop.
 */
public interface Component {

    /** Short name used in messages, logs and `tributary status`. */
    String name();

    /** Names of the components that must be ready before this one starts. */
    List<String> dependsOn();

    /** The ports this component binds, by purpose, for the port-in-use check before anything starts. */
    Map<String, Integer> ports();

    /** Checks binaries and data dir before anything starts; throws {@link StackException} naming the problem. */
    default void preflight() {
    }

    /** Launches the server and blocks until it is healthy or fails; throws {@link StackException} on failure. */
    void start();

    /** Probes the running server through its endpoint. */
    Health health();

    /** Stops the server gracefully (its shutdown hooks run). */
    void stop();

    /** Kills the server's process without a graceful shutdown, as a crash would. */
    void kill();

    /** Where the server's output goes. */
    Path logFile();
}
