package io.tributary.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client against a registry that demands basic auth, over TLS with its own
 * certificate authority, configured with the keys Confluent's clients use. The server answers
 * {@code GET /subjects} only with the right Authorization header.
 */
class SecuredRegistryTest {
    private static final String USER_INFO = "api-key:s3cr3t:with:colons";
    private final List<String> seenAuthorizations = new ArrayList<>();
    private HttpServer server;

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void sendsBasicAuthFromUserInfoOrFromTheUrlAndNeverWithoutIt() throws IOException {
        String url = start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4), "http");
        SchemaRegistryClient withUserInfo = new RestSchemaRegistryClient(RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, url, RegistryClientConfig.USER_INFO, USER_INFO)), java.time.Duration.ofSeconds(5));
        assertThat(withUserInfo.subjects()).containsExactly("lake.app_events-value");

        String inUrl = url.replace("http://", "http://api-key:s3cr3t%3Awith%3Acolons@");
        RegistryClientConfig fromUrl = RegistryClientConfig.from(Map.of(RegistryClientConfig.URL, inUrl,
                RegistryClientConfig.CREDENTIALS_SOURCE, "URL"));
        assertThat(fromUrl.url()).isEqualTo(url);
        assertThat(fromUrl.toString()).doesNotContain("s3cr3t");
        assertThat(new RestSchemaRegistryClient(fromUrl, java.time.Duration.ofSeconds(5)).subjects()).hasSize(1);

        assertThatThrownBy(() -> new RestSchemaRegistryClient(url).subjects())
                .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("error_code 401").hasMessageContaining(RegistryClientConfig.USER_INFO);
        assertThat(seenAuthorizations).containsExactly(basic(USER_INFO), "Basic "
                + Base64.getEncoder().encodeToString("api-key:s3cr3t%3Awith%3Acolons".getBytes(StandardCharsets.UTF_8)), "none");
    }

    @Test
    void trustsTheRegistrysCertificateAuthorityFromTheConfiguredTrustStore() throws Exception {
        Path serverStore = tmp.resolve("server.p12");
        Path trustStore = tmp.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", serverStore.toString(),
                "-storepass", "server-pass");
        keytool("-exportcert", "-rfc", "-alias", "registry", "-keystore", serverStore.toString(), "-storepass", "server-pass",
                "-file", tmp.resolve("registry.pem").toString());
        keytool("-importcert", "-noprompt", "-alias", "registry-ca", "-file", tmp.resolve("registry.pem").toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", "trust-pass");

        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext(serverStore, "server-pass")));
        String url = start(https, "https");
        Map<String, String> secured = Map.of(RegistryClientConfig.URL, url, RegistryClientConfig.USER_INFO, USER_INFO,
                RegistryClientConfig.TRUSTSTORE_LOCATION, trustStore.toString(),
                RegistryClientConfig.TRUSTSTORE_PASSWORD, "trust-pass", RegistryClientConfig.TRUSTSTORE_TYPE, "PKCS12");
        assertThat(SchemaRegistryClients.forConfig(secured).subjects()).containsExactly("lake.app_events-value");

        assertThatThrownBy(() -> new RestSchemaRegistryClient(RegistryClientConfig.from(Map.of(RegistryClientConfig.URL, url,
                RegistryClientConfig.USER_INFO, USER_INFO)), java.time.Duration.ofSeconds(5)).subjects())
                .as("the JVM's default authorities do not know the registry's").isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unreachable");
        assertThatThrownBy(() -> RegistryClientConfig.from(Map.of(RegistryClientConfig.URL, url,
                RegistryClientConfig.TRUSTSTORE_LOCATION, tmp.resolve("missing.p12").toString())).sslContext())
                .hasMessageContaining(RegistryClientConfig.TRUSTSTORE_LOCATION).hasMessageContaining("missing.p12");
    }

    @Test
    void selectsOnlyTheRegistryKeysToPassOn() {
        Map<String, Object> app = Map.of(RegistryClientConfig.URL, "https://r", RegistryClientConfig.USER_INFO,
                new org.apache.kafka.common.config.types.Password("k:s"), "bootstrap.servers", "kafka:9092");
        assertThat(RegistryClientConfig.select(app)).containsOnly(Map.entry(RegistryClientConfig.URL, "https://r"),
                Map.entry(RegistryClientConfig.USER_INFO, "k:s"));
    }

    private String start(HttpServer http, String scheme) {
        server = http;
        server.createContext("/subjects", this::subjects);
        server.start();
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    private void subjects(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        seenAuthorizations.add(authorization == null ? "none" : authorization);
        boolean allowed = basic(USER_INFO).equals(authorization) || ("Basic " + Base64.getEncoder()
                .encodeToString("api-key:s3cr3t%3Awith%3Acolons".getBytes(StandardCharsets.UTF_8))).equals(authorization);
        byte[] body = (allowed ? "[\"lake.app_events-value\"]" : "{\"error_code\":401,\"message\":\"Unauthorized\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext serverContext(Path store, String password) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}
