package io.tributary.ops;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Port flags for a stack of a test's own, so it runs beside the shared test stack or a `tributary up` one. */
public final class StackPorts {
    private StackPorts() {
    }

    /** Six distinct free ports as flags: every socket stays open until all are picked, or the OS may hand one out twice. */
    public static List<String> freeFlags() throws IOException {
        List<String> flags = new ArrayList<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (String flag : List.of("--kafka-port", "--controller-port", "--registry-port", "--connect-port",
                    "--s3-port", "--mariadb-port")) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                flags.add(flag);
                flags.add(String.valueOf(s.getLocalPort()));
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return flags;
    }
}
