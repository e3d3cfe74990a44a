package io.tributary.dashboard;

import io.javalin.util.JavalinBindException;
import io.tributary.dashboard.auth.Passwords;
import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;

/**
 * {@code tributary-dashboard [config-file]} runs the service until stopped;
 * {@code tributary-dashboard hash-password} reads a password from the terminal and prints its hash
 * for {@code dashboard.user.<name>.password.hash}.
 */
public final class DashboardMain {
    private DashboardMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("hash-password")) {
            hashPassword();
            return;
        }
        Path file = args.length > 0 ? Path.of(args[0]) : null;
        if (file != null && !Files.isRegularFile(file)) {
            fail("no config file " + file);
        }
        DashboardConfig config;
        try {
            config = DashboardConfig.load(file, System.getenv());
        } catch (ConfigException | IllegalArgumentException e) {
            fail("Invalid dashboard configuration: " + e.getMessage());
            return;
        }
        AggregateView view = new AggregateView(config.getString(DashboardConfig.TOPIC_PREFIX));
        try (AggregateTopicsReader reader = new AggregateTopicsReader(config.kafkaClientProperties(),
                config.getString(DashboardConfig.TOPIC_PREFIX), view);
                DashboardServer server = start(new DashboardServer(config, view, Clock.systemUTC()), config)) {
            reader.start();
            System.out.printf("Dashboard: %s://%s:%d/%n", config.tls() ? "https" : "http", config.getString(DashboardConfig.HOST), server.port());
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
    }

    /** Starts the server; a port in use is one line saying which and how to choose another. */
    private static DashboardServer start(DashboardServer server, DashboardConfig config) {
        try {
            return server.start();
        } catch (JavalinBindException e) {
            fail("port " + config.getInt(DashboardConfig.PORT) + " on " + config.getString(DashboardConfig.HOST)
                    + " is in use: stop what listens there or set dashboard.port (TRIBUTARY_DASHBOARD_PORT)");
            return server;
        }
    }

    private static void hashPassword() {
        Console console = System.console();
        if (console == null) {
            fail("hash-password needs a terminal: run it interactively");
        }
        char[] password = console.readPassword("Password: ");
        char[] again = console.readPassword("Again: ");
        if (password == null || password.length == 0 || !Arrays.equals(password, again)) {
            fail("the passwords were empty or differ; nothing printed");
        }
        System.out.println(Passwords.hash(password));
        Arrays.fill(password, ' ');
        Arrays.fill(again, ' ');
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }
}
