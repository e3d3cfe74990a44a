package io.tributary.schemas.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client per registry URL in a JVM, so every serde shares its schema and id caches.
 * {@code mock://<scope>} names an in-memory registry (for tests), as Confluent's serdes do.
 */
public final class SchemaRegistryClients {
    public static final String MOCK_SCHEME = "mock://";
    private static final Map<String, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

    private SchemaRegistryClients() {
    }

    public static SchemaRegistryClient forUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("schema.registry.url is not set; point it at a Confluent-compatible "
                    + "schema registry, e.g. http://127.0.0.1:18081");
        }
        return CLIENTS.computeIfAbsent(url.trim(), u -> u.startsWith(MOCK_SCHEME)
                ? new InMemorySchemaRegistryClient() : new RestSchemaRegistryClient(u));
    }

    /** Forgets an in-memory registry, so the next test with the same scope starts empty. */
    public static void dropMock(String url) {
        if (url.startsWith(MOCK_SCHEME)) {
            CLIENTS.remove(url);
        }
    }
}
