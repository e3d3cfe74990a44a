package io.tributary.cli.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A local HTTP endpoint that speaks the AWS JSON 1.1 protocol of Athena and CloudTrail: the
 * operation in the {@code X-Amz-Target} header, a JSON body, errors as HTTP 400 with
 * {@code __type}. It records every request and answers what the test's responder returns.
 */
public final class AwsJsonEndpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as received: its target (e.g. AmazonAthena.ListQueryExecutions) and body. */
    public record Request(String target, JsonNode body) {
    }

    /** An answer: HTTP status and JSON body. */
    public record Reply(int status, String body) {
        public static Reply ok(String body) {
            return new Reply(200, body);
        }
    }

    @FunctionalInterface
    public interface Responder {
        Reply respond(String target, JsonNode body) throws IOException;
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();

    private AwsJsonEndpoint(Responder responder) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            Reply reply;
            synchronized (requests) {
                requests.add(new Request(target, body));
                reply = responder.respond(target, body);
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** Starts the endpoint; the AWS SDK signs with the test-only credentials it sets. */
    public static AwsJsonEndpoint start(Responder responder) throws IOException {
        System.setProperty("aws.accessKeyId", "test-only");
        System.setProperty("aws.secretAccessKey", "test-only");
        return new AwsJsonEndpoint(responder);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public List<String> targets() {
        return requests().stream().map(Request::target).toList();
    }

    /** A recorded response (or exchange file) under src/test/resources. */
    public static String resource(String path) {
        try (InputStream in = AwsJsonEndpoint.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
