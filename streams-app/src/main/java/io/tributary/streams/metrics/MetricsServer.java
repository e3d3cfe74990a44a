package io.tributary.streams.metrics;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} in Prometheus text format, and the service's health: {@code /health/live} is 200
 * unless it has failed or stopped; {@code /health} and {@code /health/ready} are 200 only while it is
 * ready (the streams app: RUNNING, i.e. processing), 503 otherwise. With credentials, {@code /metrics}
 * asks for HTTP basic auth (Prometheus' {@code basic_auth}); the health endpoints stay open, because
 * orchestrators' probes (Docker, ECS, Kubernetes) call them without credentials and they say no
 * more than the state.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    private final HttpServer server;

    /** Basic-auth credentials of {@code /metrics}; {@link #NONE} leaves it open. */
    public record Credentials(String user, String password) {
        public static final Credentials NONE = new Credentials("", "");

        boolean required() {
            return !user.isEmpty();
        }

        boolean match(String givenUser, String givenPassword) {
            // Constant-time comparisons: the time of a refusal says nothing about how much was right.
            return MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8), givenUser.getBytes(StandardCharsets.UTF_8))
                    & MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), givenPassword.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return required() ? "basic auth as " + user : "no auth";
        }
    }

    /** A service's state as the health endpoints report it. */
    public record Health(String state, boolean live, boolean ready) {
        /** The health of a Kafka Streams app in a given state. */
        public static Health of(KafkaStreams.State s) {
            boolean live = s != KafkaStreams.State.ERROR && s != KafkaStreams.State.NOT_RUNNING
                    && s != KafkaStreams.State.PENDING_ERROR;
            return new Health(s.name(), live, s == KafkaStreams.State.RUNNING);
        }
    }

    public MetricsServer(InetSocketAddress address, PrometheusMeterRegistry registry, Supplier<Health> health)
            throws IOException {
        this(address, registry, health, Credentials.NONE);
    }

    public MetricsServer(InetSocketAddress address, PrometheusMeterRegistry registry, Supplier<Health> health,
            Credentials credentials) throws IOException {
        server = HttpServer.create(address, 16);
        HttpContext metrics = server.createContext("/metrics",
                ex -> respond(ex, 200, "text/plain; version=0.0.4", registry.scrape()));
        if (credentials.required()) {
            metrics.setAuthenticator(new BasicAuthenticator("tributary-metrics") {
                @Override
                public boolean checkCredentials(String user, String password) {
                    return credentials.match(user, password);
                }
            });
        } else if (!address.getAddress().isLoopbackAddress()) {
            LOG.warn("/metrics listens on {} without authentication: anyone who reaches that address reads it; set "
                    + "metrics.auth.user and metrics.auth.password, or bind it to 127.0.0.1", address);
        }
        server.createContext("/health/live", ex -> {
            Health h = health.get();
            respond(ex, h.live() ? 200 : 503, "application/json", "{\"state\":\"" + h.state() + "\",\"live\":" + h.live() + "}");
        });
        server.createContext("/health", ex -> {
            Health h = health.get();
            respond(ex, h.ready() ? 200 : 503, "application/json", "{\"state\":\"" + h.state() + "\",\"ready\":" + h.ready() + "}");
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
