package io.tributary.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * How a client reaches a secured schema registry (Confluent Cloud, a registry behind TLS with basic
 * auth, Karapace, Apicurio's ccompat API), under the names Confluent's serdes and converters use, so
 * one set of client properties serves both: {@code basic.auth.credentials.source} (USER_INFO or URL),
 * {@code basic.auth.user.info}, and {@code schema.registry.ssl.*} trust and key stores. Every
 * component that talks to the registry (the streams app's serde and schema evolution, the sink, the
 * CLI) defines these keys from here, so they are documented and validated in one place.
 */
public record RegistryClientConfig(String url, String authorization, SslFiles ssl) {
    public static final String URL = "schema.registry.url";
    public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String USER_INFO = "basic.auth.user.info";
    public static final String SSL_PREFIX = "schema.registry.ssl.";
    public static final String TRUSTSTORE_LOCATION = SSL_PREFIX + "truststore.location";
    public static final String TRUSTSTORE_PASSWORD = SSL_PREFIX + "truststore.password";
    public static final String TRUSTSTORE_TYPE = SSL_PREFIX + "truststore.type";
    public static final String KEYSTORE_LOCATION = SSL_PREFIX + "keystore.location";
    public static final String KEYSTORE_PASSWORD = SSL_PREFIX + "keystore.password";
    public static final String KEYSTORE_TYPE = SSL_PREFIX + "keystore.type";
    public static final String KEY_PASSWORD = SSL_PREFIX + "key.password";
    /** Every key of a registry client besides the URL, for components that pass them on. */
    public static final List<String> CLIENT_KEYS = List.of(CREDENTIALS_SOURCE, USER_INFO, TRUSTSTORE_LOCATION,
            TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE, KEY_PASSWORD);

    /** The key and trust stores of a TLS connection to the registry; null fields use the JVM's defaults. */
    public record SslFiles(String truststore, String truststorePassword, String truststoreType, String keystore,
            String keystorePassword, String keystoreType, String keyPassword) {
        boolean configured() {
            return truststore != null || keystore != null;
        }
    }

    /** Adds the client keys (not the URL, which each component describes itself) to a config definition. */
    public static ConfigDef define(ConfigDef def, String group) {
        int order = 100;
        return def
                .define(CREDENTIALS_SOURCE, Type.STRING, "USER_INFO", ConfigDef.ValidString.in("USER_INFO", "URL"),
                        Importance.MEDIUM, "Where the registry's basic-auth credentials come from: USER_INFO ("
                                + USER_INFO + ") or URL (user:password@ in " + URL + "), as Confluent's clients name it.",
                        group, order++, ConfigDef.Width.SHORT, "Registry credentials source")
                .define(USER_INFO, Type.PASSWORD, "", Importance.MEDIUM, "user:password for the registry's basic auth "
                        + "(Confluent Cloud: API key:secret); empty sends none. Give it through a config provider or "
                        + "the environment, never in a file in a repository.", group, order++, ConfigDef.Width.MEDIUM,
                        "Registry user info")
                .define(TRUSTSTORE_LOCATION, Type.STRING, "", Importance.LOW, "Trust store (JKS or PKCS12) of the "
                        + "registry's TLS certificate authority; empty trusts the JVM's default authorities.", group, order++,
                        ConfigDef.Width.LONG, "Registry trust store")
                .define(TRUSTSTORE_PASSWORD, Type.PASSWORD, "", Importance.LOW, "Password of the registry trust store.",
                        group, order++, ConfigDef.Width.MEDIUM, "Registry trust store password")
                .define(TRUSTSTORE_TYPE, Type.STRING, "JKS", Importance.LOW, "Type of the registry trust store: JKS or PKCS12.",
                        group, order++, ConfigDef.Width.SHORT, "Registry trust store type")
                .define(KEYSTORE_LOCATION, Type.STRING, "", Importance.LOW, "Key store with a client certificate for "
                        + "registries that require mutual TLS; empty sends none.", group, order++, ConfigDef.Width.LONG,
                        "Registry key store")
                .define(KEYSTORE_PASSWORD, Type.PASSWORD, "", Importance.LOW, "Password of the registry key store.",
                        group, order++, ConfigDef.Width.MEDIUM, "Registry key store password")
                .define(KEYSTORE_TYPE, Type.STRING, "JKS", Importance.LOW, "Type of the registry key store: JKS or PKCS12.",
                        group, order++, ConfigDef.Width.SHORT, "Registry key store type")
                .define(KEY_PASSWORD, Type.PASSWORD, "", Importance.LOW, "Password of the key in the registry key store "
                        + "(default: the key store's).", group, order, ConfigDef.Width.MEDIUM, "Registry key password");
    }

    /**
     * The settings in a client's configuration (raw strings or Kafka's parsed values, with or
     * without the other keys of the component). Credentials in the URL are taken out of it.
     */
    public static RegistryClientConfig from(Map<String, ?> configs) {
        String url = text(configs, URL);
        if (url == null) {
            throw new IllegalArgumentException(URL + " is not set; point it at a Confluent-compatible schema registry, "
                    + "e.g. http://127.0.0.1:18081");
        }
        String source = text(configs, CREDENTIALS_SOURCE);
        String userInfo = text(configs, USER_INFO);
        if (source != null && source.toUpperCase(Locale.ROOT).equals("URL")) {
            userInfo = URI.create(url).getRawUserInfo();
            if (userInfo == null) {
                throw new IllegalArgumentException(CREDENTIALS_SOURCE + "=URL but " + URL + " has no user:password@");
            }
        } else if (source != null && !source.equalsIgnoreCase("USER_INFO")) {
            throw new IllegalArgumentException(CREDENTIALS_SOURCE + "=" + source + " is not supported; use USER_INFO or URL");
        }
        String authorization = userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        SslFiles ssl = new SslFiles(text(configs, TRUSTSTORE_LOCATION), text(configs, TRUSTSTORE_PASSWORD),
                text(configs, TRUSTSTORE_TYPE), text(configs, KEYSTORE_LOCATION), text(configs, KEYSTORE_PASSWORD),
                text(configs, KEYSTORE_TYPE), text(configs, KEY_PASSWORD));
        return new RegistryClientConfig(withoutUserInfo(url.trim()), authorization, ssl);
    }

    /** The registry keys of a configuration, as plain strings, for passing on to a serde or another client. */
    public static Map<String, String> select(Map<String, ?> configs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : concat(URL, CLIENT_KEYS)) {
            String value = text(configs, key);
            if (value != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    /** The TLS context of the configured stores, or null for the JVM's default. */
    public SSLContext sslContext() {
        if (!ssl.configured()) {
            return null;
        }
        try {
            TrustManagerFactory trust = null;
            if (ssl.truststore() != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(ssl.truststore(), ssl.truststoreType(), ssl.truststorePassword(), TRUSTSTORE_LOCATION));
            }
            KeyManagerFactory keys = null;
            if (ssl.keystore() != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword = ssl.keyPassword() != null ? ssl.keyPassword() : ssl.keystorePassword();
                keys.init(load(ssl.keystore(), ssl.keystoreType(), ssl.keystorePassword(), KEYSTORE_LOCATION),
                        keyPassword == null ? null : keyPassword.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot use the schema registry's TLS stores (" + e.getMessage() + "); check "
                    + SSL_PREFIX + "*", e);
        }
    }

    private static KeyStore load(String file, String type, String password, String key) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type == null ? "JKS" : type);
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            store.load(in, password == null ? null : password.toCharArray());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + key + "=" + file + " (" + e.getMessage()
                    + "): check the path, its type and its password", e);
        }
        return store;
    }

    private static String withoutUserInfo(String url) {
        URI uri = URI.create(url);
        if (uri.getRawUserInfo() == null) {
            return url;
        }
        return url.replace(uri.getRawUserInfo() + "@", "");
    }

    /** A value as text; Kafka's Password values are unwrapped, empty ones count as unset. */
    private static String text(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        String text = value instanceof Password p ? p.value() : value == null ? null : value.toString();
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new java.util.ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** Never prints the credentials. */
    @Override
    public String toString() {
        return url + (authorization == null ? "" : " (basic auth)") + (ssl.configured() ? " (TLS stores)" : "");
    }
}
