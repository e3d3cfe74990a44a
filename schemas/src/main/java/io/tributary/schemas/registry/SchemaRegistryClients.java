package io.tributary.schemas.registry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client per registry URL in a JVM, so every serde shares its schema and id caches.
 * {@code mock://<scope>} names an in-memory registry (for tests), as Confluent's serdes do.
 */
public final class SchemaRegistryClients {
    public static final String MOCK_SCHEME = "mock://";
    private static final Map<String, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();
    private static final Map<RegistryClientConfig, SchemaRegistryClient> SECURED = new ConcurrentHashMap<>();

    private SchemaRegistryClients() {
    }

    public static SchemaRegistryClient forUrl(String url) {
        return forConfig(url == null ? Map.of() : Map.of(RegistryClientConfig.URL, url));
    }

    /**
     * The client of a registry configured as Confluent's clients are ({@code schema.registry.url},
     * {@code basic.auth.*}, {@code schema.registry.ssl.*}; see {@link RegistryClientConfig}); one
     * per distinct configuration.
     */
    public static SchemaRegistryClient forConfig(Map<String, ?> configs) {
        RegistryClientConfig config = RegistryClientConfig.from(configs);
        if (config.url().startsWith(MOCK_SCHEME)) {
            return CLIENTS.computeIfAbsent(config.url(), u -> new InMemorySchemaRegistryClient());
        }
        return SECURED.computeIfAbsent(config, c -> new RestSchemaRegistryClient(c, Duration.ofSeconds(10)));
    }

    /** Forgets an in-memory registry, so the next test with the same scope starts empty. */
    public static void dropMock(String url) {
        if (url.startsWith(MOCK_SCHEME)) {
            CLIENTS.remove(url);
        }
    }
}
