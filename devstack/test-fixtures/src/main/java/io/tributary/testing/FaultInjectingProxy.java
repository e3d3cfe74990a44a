package io.tributary.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 proxy in front of the S3 server that fails a share of requests the way S3 does under
 * load: half of the failures answer 503 SlowDown without forwarding, the other half forward the
 * request (so it takes effect) and then answer 500 InternalError instead of the real response, the
 * case that makes clients retry a request that already succeeded. Requests are forwarded byte for
 * byte, so SigV4 signatures stay valid; each request uses its own connections.
 */
public final class FaultInjectingProxy implements AutoCloseable {
    private final String upstreamHost;
    private final int upstreamPort;
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Random random;
    private final double failureRate;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong failedBefore = new AtomicLong();
    private final AtomicLong failedAfter = new AtomicLong();

    public FaultInjectingProxy(String upstreamHost, int upstreamPort, double failureRate, long seed) throws IOException {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.failureRate = failureRate;
        this.random = new Random(seed);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The endpoint to give clients instead of the S3 server's. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Requests answered by the real server / failed before forwarding / failed after forwarding. */
    public String counts() {
        return forwarded.get() + " forwarded, " + failedBefore.get() + " failed with 503 before forwarding, "
                + failedAfter.get() + " failed with 500 after taking effect";
    }

    public long injectedFailures() {
        return failedBefore.get() + failedAfter.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.execute(() -> handle(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = new java.io.BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String method = head.substring(0, head.indexOf(' '));
            long length = 0;
            boolean expectContinue = false;
            StringBuilder forwardedHead = new StringBuilder();
            for (String line : head.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                } else if (lower.startsWith("transfer-encoding:")) {
                    respond(out, 501, "NotImplemented", method);
                    return;
                }
                if (lower.startsWith("expect:")) {
                    expectContinue = true; // answered here; unsigned by SigV4, so it can be dropped
                } else if (!lower.startsWith("connection:")) {
                    forwardedHead.append(line).append("\r\n");
                }
            }
            forwardedHead.append("Connection: close\r\n\r\n");
            if (expectContinue) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            byte[] body = in.readNBytes((int) length);
            double draw;
            boolean before;
            synchronized (random) {
                draw = random.nextDouble();
                before = random.nextBoolean();
            }
            if (draw < failureRate && before) {
                failedBefore.incrementAndGet();
                respond(out, 503, "SlowDown", method);
                return;
            }
            byte[] response = forward(forwardedHead.toString(), body);
            if (draw < failureRate) {
                failedAfter.incrementAndGet();
                respond(out, 500, "InternalError", method);
                return;
            }
            forwarded.incrementAndGet();
            out.write(response);
            out.flush();
        } catch (IOException | RuntimeException e) {
            // the client sees a dropped connection, which it also retries
        }
    }

    private byte[] forward(String head, byte[] body) throws IOException {
        try (Socket upstream = new Socket(upstreamHost, upstreamPort)) {
            OutputStream out = upstream.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return upstream.getInputStream().readAllBytes();
        }
    }

    private static void respond(OutputStream out, int status, String code, String method) throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                + "</Code><Message>injected by the fault proxy</Message></Error>";
        byte[] body = "HEAD".equals(method) ? new byte[0] : xml.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + code + "\r\nContent-Type: application/xml\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** The request line and headers, without the blank line; null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }
}
