package io.tributary.streams.config;

import io.tributary.schemas.registry.RegistryClientConfig;
import io.tributary.streams.metrics.MetricsServer;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The app's settings that secure what it connects to and what it serves, apart from the pipeline's
 * own: the schema registry client's auth and TLS ({@link RegistryClientConfig}, Confluent's names),
 * and the metrics server's bind address and basic auth. Kafka's TLS/SASL settings are the
 * {@code streams.*} keys ({@code streams.security.protocol}, {@code streams.sasl.jaas.config}, ...),
 * which reach Kafka Streams' clients and, through {@link #adminConfigs}, the app's own admin clients.
 */
public final class ServiceSecurity {
    public static final String METRICS_BIND_ADDRESS = "metrics.bind.address";
    public static final String METRICS_AUTH_USER = "metrics.auth.user";
    public static final String METRICS_AUTH_PASSWORD = "metrics.auth.password";

    private ServiceSecurity() {
    }

    static ConfigDef define(ConfigDef def) {
        RegistryClientConfig.define(def, "Schema registry");
        return def
                .define(METRICS_BIND_ADDRESS, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Address /metrics and /health listen on: 127.0.0.1 serves this host only; 0.0.0.0 every interface "
                                + "(a container that Prometheus scrapes from outside; set metrics.auth.* then).")
                .define(METRICS_AUTH_USER, Type.STRING, "", Importance.MEDIUM,
                        "User of HTTP basic auth on /metrics (Prometheus' basic_auth); empty leaves /metrics open. The "
                                + "health endpoints stay open for orchestrators' probes: they report only the state.")
                .define(METRICS_AUTH_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM,
                        "Password of metrics.auth.user; set it through TRIBUTARY_METRICS_AUTH_PASSWORD, never in a file "
                                + "in the repository.");
    }

    /** Fails when only one half of the metrics credentials is set. */
    static void validate(PipelineConfig config) {
        boolean user = !config.getString(METRICS_AUTH_USER).isEmpty();
        boolean password = !config.getPassword(METRICS_AUTH_PASSWORD).value().isEmpty();
        if (user != password) {
            throw new ConfigException(user ? METRICS_AUTH_PASSWORD : METRICS_AUTH_USER, "(empty)",
                    "set both metrics.auth.user and metrics.auth.password, or neither");
        }
        RegistryClientConfig.from(config.registryConfigs()); // a bad credentials source fails at start, naming the key
    }

    /** Where /metrics and /health listen. */
    public static InetSocketAddress metricsAddress(PipelineConfig config) {
        return new InetSocketAddress(config.getString(METRICS_BIND_ADDRESS), config.metricsPort());
    }

    public static MetricsServer.Credentials metricsCredentials(PipelineConfig config) {
        return new MetricsServer.Credentials(config.getString(METRICS_AUTH_USER),
                config.getPassword(METRICS_AUTH_PASSWORD).value());
    }

    /**
     * The settings of an admin client of the app (topic provisioning, topic limits): exactly what Kafka
     * Streams gives its own admin client, so {@code streams.security.*}, {@code streams.sasl.*},
     * {@code streams.ssl.*} and {@code streams.admin.*} reach it too.
     */
    static Map<String, Object> adminConfigs(PipelineConfig config, String clientId) {
        return new HashMap<>(new StreamsConfig(config.streamsProperties()).getAdminConfigs(clientId));
    }
}
