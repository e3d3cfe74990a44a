package io.tributary.dashboard;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import io.tributary.dashboard.auth.Sessions;
import io.tributary.dashboard.auth.Users;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The live page and its read-only JSON API, all behind a login. {@code /login} (GET the form, POST
 * user and password) starts a session whose token is an HttpOnly, SameSite=Strict cookie (Secure
 * under TLS); {@code /} is the page, {@code /api/aggregates[/<name>]} the rows, {@code /api/stream}
 * the changes as Server-Sent Events. Without a live session the API and the stream answer 401 and the
 * page redirects to the login. POSTs from another origin are refused (login CSRF).
 */
public final class DashboardServer implements AutoCloseable {
    static final String COOKIE = "tributary_session";
    private static final String WEB = "/io/tributary/dashboard/web/";
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private final DashboardConfig config;
    private final AggregateView view;
    private final Users users;
    private final Sessions sessions;
    private final Map<SseClient, String> streams = new ConcurrentHashMap<>();
    private final Javalin app;
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-heartbeat");
        t.setDaemon(true);
        return t;
    });

    public DashboardServer(DashboardConfig config, AggregateView view, Clock clock) {
        this.config = config;
        this.view = view;
        this.users = new Users(config.users());
        this.sessions = new Sessions(config.idleTimeout(), config.maxAge(), clock);
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.staticFiles.enableWebjars();
            c.staticFiles.add(s -> {
                s.hostedPath = "/static";
                s.directory = WEB + "static";
                s.location = Location.CLASSPATH;
            });
            c.jetty.host = config.getString(DashboardConfig.HOST);
            c.jetty.port = config.getInt(DashboardConfig.PORT);
            if (config.tls()) {
                // On the configured port, Javalin adds no plain connector of its own.
                c.jetty.addConnector(this::tlsConnector);
            }
            c.routes.before(this::headers);
            c.routes.before("/api/*", this::requireSession);
            c.routes.get("/login", ctx -> ctx.html(resource("login.html")));
            c.routes.post("/login", this::login);
            c.routes.post("/logout", this::logout);
            c.routes.get("/", ctx -> {
                if (session(ctx, true) == null) {
                    ctx.redirect("/login", HttpStatus.SEE_OTHER);
                } else {
                    ctx.html(resource("index.html"));
                }
            });
            c.routes.get("/api/aggregates", ctx -> json(ctx, view.snapshot().toString()));
            c.routes.get("/api/aggregates/{name}", ctx -> {
                var one = view.snapshot(ctx.pathParam("name"));
                if (one == null) {
                    ctx.status(HttpStatus.NOT_FOUND).result("no aggregate " + ctx.pathParam("name"));
                } else {
                    json(ctx, one.toString());
                }
            });
            c.routes.get("/api/config", ctx -> json(ctx, AggregateView.JSON.createObjectNode()
                    .put("displayZone", config.displayZone().getId()).toString()));
            c.routes.sse("/api/stream", client -> {
                client.keepAlive();
                streams.put(client, client.ctx().cookie(COOKIE));
                client.onClose(() -> streams.remove(client));
                client.sendEvent("hello", "{}");
            });
        });
        view.onChanges(changes -> push(AggregateView.message(changes)));
        heartbeat.scheduleAtFixedRate(() -> forEachLiveStream(client -> client.sendComment("heartbeat")),
                HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    public DashboardServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Sends a message to every open stream whose session is still live. */
    private void push(String message) {
        forEachLiveStream(client -> client.sendEvent("changes", message));
    }

    /**
     * Runs {@code action} on each open stream whose session is still live, and closes the others: a
     * stream outlives its session otherwise. Also run every {@link #HEARTBEAT} with a comment line,
     * which keeps proxies from cutting a quiet stream.
     */
    private void forEachLiveStream(java.util.function.Consumer<SseClient> action) {
        streams.forEach((client, token) -> {
            if (sessions.peek(token).isEmpty() || client.terminated()) {
                streams.remove(client);
                client.close();
            } else {
                action.accept(client);
            }
        });
    }

    private void login(Context ctx) {
        requireSameOrigin(ctx);
        String user = ctx.formParam("user");
        String password = ctx.formParam("password");
        if (user == null || password == null || !users.authenticate(user, password.toCharArray())) {
            ctx.status(HttpStatus.UNAUTHORIZED).html(resource("login.html").replace("<!--error-->",
                    "<p id=\"error\" class=\"error\">wrong user or password</p>"));
            return;
        }
        sessions.end(ctx.cookie(COOKIE));
        ctx.cookie(cookie(sessions.start(user), -1));
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    private void logout(Context ctx) {
        requireSameOrigin(ctx);
        sessions.end(ctx.cookie(COOKIE));
        ctx.cookie(cookie("", 0));
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }

    private Cookie cookie(String value, int maxAge) {
        Cookie c = new Cookie(COOKIE, value);
        c.setPath("/");
        c.setHttpOnly(true);
        c.setSecure(config.tls());
        c.setSameSite(SameSite.STRICT);
        c.setMaxAge(maxAge);
        return c;
    }

    private Sessions.Session session(Context ctx, boolean activity) {
        String token = ctx.cookie(COOKIE);
        return (activity ? sessions.touch(token) : sessions.peek(token)).orElse(null);
    }

    /** The stream is no user activity: it must not keep an idle session alive. */
    private void requireSession(Context ctx) {
        if (session(ctx, !ctx.path().equals("/api/stream")) == null) {
            throw new UnauthorizedResponse("log in first: POST /login");
        }
    }

    private void requireSameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equals("null")) {
            String host = URI.create(origin).getAuthority();
            if (!host.equals(ctx.host())) {
                throw new io.javalin.http.ForbiddenResponse("cross-origin POST refused");
            }
        }
    }

    private void headers(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    private static void json(Context ctx, String body) {
        ctx.contentType("application/json; charset=utf-8").result(body);
    }

    private static String resource(String name) {
        try (InputStream in = DashboardServer.class.getResourceAsStream(WEB + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ServerConnector tlsConnector(org.eclipse.jetty.server.Server server, org.eclipse.jetty.server.HttpConfiguration http) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(config.keystore().toString());
        ssl.setKeyStoreType("PKCS12");
        ssl.setKeyStorePassword(config.keystorePassword().value());
        http.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost(config.getString(DashboardConfig.HOST));
        connector.setPort(config.getInt(DashboardConfig.PORT));
        return connector;
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        app.stop();
    }
}
