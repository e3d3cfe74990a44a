package io.tributary.schemas.serde;

import java.util.Map;

/**
 * The serde settings, with Confluent's key names so a config works with either serde:
 * {@code schema.registry.url} (required) and {@code auto.register.schemas} (default true); the registry
 * client's auth and TLS keys ({@link io.tributary.schemas.registry.RegistryClientConfig}) pass through.
 * Subjects follow Confluent's TopicNameStrategy: {@code <topic>-value} / {@code <topic>-key}.
 */
record AvroSerdeConfig(String registryUrl, boolean autoRegister) {
    static final String REGISTRY_URL = "schema.registry.url";
    static final String AUTO_REGISTER = "auto.register.schemas";

    static AvroSerdeConfig from(Map<String, ?> configs) {
        Object url = configs.get(REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException("The Avro serde needs " + REGISTRY_URL
                    + " (e.g. http://127.0.0.1:18081, or mock://<scope> in tests)");
        }
        Object auto = configs.get(AUTO_REGISTER);
        return new AvroSerdeConfig(url.toString(), auto == null || Boolean.parseBoolean(auto.toString()));
    }

    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
