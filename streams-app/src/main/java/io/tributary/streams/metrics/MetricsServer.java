package io.tributary.streams.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code /metrics} in Prometheus text format, and the service's health: {@code /health/live} is 200
 * unless it has failed or stopped; {@code /health} and {@code /health/ready} are 200 only while it is
 * ready (the streams app: RUNNING, i.e. processing), 503 otherwise.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

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
        server = HttpServer.create(address, 16);
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4", registry.scrape()));
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
