package io.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.dashboard.auth.Passwords;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS from a PKCS12 keystore: HTTPS only, the session cookie Secure; no plain listener beyond loopback. */
class DashboardTlsTest {
    @TempDir
    Path dir;

    @Test
    void withAKeystoreItServesHttpsAndSecureCookies() throws Exception {
        Path keystore = dir.resolve("dashboard.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "dashboard", "-keyalg", "EC", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "test-only").inheritIO().start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as("keytool made a keystore").isTrue();
        DashboardConfig config = new DashboardConfig(Map.of(DashboardConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1",
                DashboardConfig.PORT, "0", DashboardConfig.USERS, "demo",
                DashboardConfig.hashKey("demo"), Passwords.hash("demo-pw".toCharArray(), 1000),
                DashboardConfig.KEYSTORE_PATH, keystore.toString(), DashboardConfig.KEYSTORE_PASSWORD, "test-only"));
        try (DashboardServer server = new DashboardServer(config, new AggregateView("dash."), new MutableClock()).start()) {
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            String base = "https://127.0.0.1:" + server.port();
            assertThat(https.send(HttpRequest.newBuilder(URI.create(base + "/api/aggregates")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            HttpResponse<String> login = https.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("user=demo&password=demo-pw")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(303);
            assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure").contains("HttpOnly");
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/login")).build(), HttpResponse.BodyHandlers.ofString())).as("no plain HTTP on the port").isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void listeningBeyondLoopbackNeedsTls() {
        assertThatThrownBy(() -> new DashboardConfig(Map.of(DashboardConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1",
                DashboardConfig.HOST, "0.0.0.0", DashboardConfig.USERS, "demo",
                DashboardConfig.hashKey("demo"), Passwords.hash("pw".toCharArray(), 1000))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listening beyond this machine needs TLS: set dashboard.tls.keystore.path");
        assertThatThrownBy(() -> new DashboardConfig(Map.of(DashboardConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1", DashboardConfig.USERS, "demo")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dashboard.user.demo.password.hash");
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "test-only".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
