package io.tributary.testing;

import io.tributary.devstack.StackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports for a stack of a test's own, so it runs beside the shared test stack or a `tributary up` one. */
public final class FreePorts {
    private static final List<String> STACK_FLAGS = List.of("--kafka-port", "--controller-port", "--registry-port",
            "--connect-port", "--s3-port", "--mariadb-port", "--postgres-port", "--connect-metrics-port");

    private FreePorts() {
    }

    /** {@code n} distinct free ports: every socket stays open until all are picked, or the OS may hand one out twice. */
    public static int[] pick(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // a probe socket
                }
            }
        }
    }

    /** One free port (free when picked: a test that needs it closed uses it as an address nobody answers on). */
    public static int one() {
        return pick(1)[0];
    }

    /** A stack config in {@code dir} with a free port for each of its servers. */
    public static StackConfig stack(Path dir) {
        int[] p = pick(STACK_FLAGS.size());
        return StackConfig.defaults(dir).withPorts(p[0], p[1], p[2], p[3], p[4], p[5], p[6])
                .withConnectMetricsPort(p[7]);
    }

    /** A free port for each of the stack's port flags, as command line arguments. */
    public static List<String> stackFlags() {
        int[] ports = pick(STACK_FLAGS.size());
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            flags.add(STACK_FLAGS.get(i));
            flags.add(String.valueOf(ports[i]));
        }
        return flags;
    }
}
