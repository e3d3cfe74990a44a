package io.tributary.dashboard;

import io.tributary.schemas.config.ConfigFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The dashboard service's settings ({@code ops/dashboard/config/dashboard.properties}, each key
 * overridable by {@code TRIBUTARY_<KEY>}). Users are {@code dashboard.users} with the hash of each in
 * {@code dashboard.user.<name>.password.hash}: give hashes through the environment, never in the file.
 */
public final class DashboardConfig extends AbstractConfig {
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String HOST = "dashboard.host";
    public static final String PORT = "dashboard.port";
    public static final String TOPIC_PREFIX = "dashboard.topic.prefix";
    public static final String DISPLAY_ZONE = "dashboard.display.zone";
    public static final String USERS = "dashboard.users";
    public static final String IDLE_TIMEOUT_MS = "dashboard.session.idle.timeout.ms";
    public static final String MAX_AGE_MS = "dashboard.session.max.age.ms";
    public static final String KEYSTORE_PATH = "dashboard.tls.keystore.path";
    public static final String KEYSTORE_PASSWORD = "dashboard.tls.keystore.password";
    /** Kafka client settings for a secured cluster, e.g. kafka.security.protocol=SASL_SSL (as the streams app's streams.*). */
    public static final String KAFKA_PREFIX = "kafka.";

    static final ConfigDef DEF = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "Kafka brokers holding the aggregate topics.")
            .define(HOST, Type.STRING, "127.0.0.1", Importance.HIGH,
                    "Address to listen on; anything but a loopback address requires TLS (" + KEYSTORE_PATH + ").")
            .define(PORT, Type.INT, 18088, ConfigDef.Range.between(0, 65535), Importance.HIGH, "Port of the page and the API (0: any free port).")
            .define(TOPIC_PREFIX, Type.STRING, "dash.", Importance.MEDIUM,
                    "The aggregate topics: every topic with this prefix (the streams app's dashboards.topic.prefix).")
            .define(DISPLAY_ZONE, Type.STRING, "UTC", Importance.MEDIUM, "Time zone of the charts' time axis, e.g. Asia/Tokyo.")
            .define(USERS, Type.LIST, "", Importance.HIGH,
                    "Who may log in; each needs dashboard.user.<name>.password.hash (from `tributary-dashboard hash-password`).")
            .define(IDLE_TIMEOUT_MS, Type.LONG, Duration.ofMinutes(30).toMillis(), ConfigDef.Range.atLeast(1000), Importance.MEDIUM,
                    "A session without a request for this long ends (an open push stream does not count as activity).")
            .define(MAX_AGE_MS, Type.LONG, Duration.ofHours(12).toMillis(), ConfigDef.Range.atLeast(1000), Importance.MEDIUM,
                    "A session ends this long after login, however active.")
            .define(KEYSTORE_PATH, Type.STRING, "", Importance.HIGH, "PKCS12 keystore of the TLS certificate; empty: plain HTTP (loopback only).")
            .define(KEYSTORE_PASSWORD, Type.PASSWORD, "", Importance.HIGH, "Password of the keystore (give it through the environment).");

    public DashboardConfig(Map<String, ?> props) {
        super(DEF, props);
        ZoneId.of(getString(DISPLAY_ZONE));
        if (users().isEmpty()) {
            throw new ConfigException(USERS, "", "name at least one user: the page serves no data without a login");
        }
        if (!tls() && !loopback(getString(HOST))) {
            throw new ConfigException(HOST, getString(HOST), "listening beyond this machine needs TLS: set " + KEYSTORE_PATH);
        }
    }

    /** The file's settings with TRIBUTARY_* overrides, including each listed user's hash. */
    public static DashboardConfig load(Path file, Map<String, String> env) throws IOException {
        Map<String, Object> first = ConfigFiles.load(file, env, DEF.names());
        List<String> keys = new ArrayList<>(DEF.names());
        Object users = first.get(USERS);
        if (users != null) {
            for (String user : users.toString().split(",")) {
                keys.add(hashKey(user.trim()));
            }
        }
        return new DashboardConfig(ConfigFiles.load(file, env, keys));
    }

    /**
     * The aggregate reader's Kafka client settings: the brokers and every {@code kafka.*} key without
     * its prefix ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}; secrets through the
     * environment or config providers).
     */
    public Map<String, Object> kafkaClientProperties() {
        Map<String, Object> props = new LinkedHashMap<>(originalsWithPrefix(KAFKA_PREFIX));
        props.put("bootstrap.servers", String.join(",", getList(BOOTSTRAP_SERVERS)));
        return props;
    }

    public static String hashKey(String user) {
        return "dashboard.user." + user + ".password.hash";
    }

    /** User name to stored password hash. */
    public Map<String, String> users() {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String user : getList(USERS)) {
            Object hash = originals().get(hashKey(user));
            if (hash == null || hash.toString().isBlank()) {
                throw new ConfigException(hashKey(user), null, "missing: give the hash (TRIBUTARY_"
                        + ConfigFiles.envName(hashKey(user)).substring("TRIBUTARY_".length()) + ") from `tributary-dashboard hash-password`");
            }
            hashes.put(user, hash.toString().trim());
        }
        return hashes;
    }

    public boolean tls() {
        return !getString(KEYSTORE_PATH).isBlank();
    }

    public Path keystore() {
        return Path.of(getString(KEYSTORE_PATH));
    }

    public Password keystorePassword() {
        return getPassword(KEYSTORE_PASSWORD);
    }

    public ZoneId displayZone() {
        return ZoneId.of(getString(DISPLAY_ZONE));
    }

    public Duration idleTimeout() {
        return Duration.ofMillis(getLong(IDLE_TIMEOUT_MS));
    }

    public Duration maxAge() {
        return Duration.ofMillis(getLong(MAX_AGE_MS));
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException(HOST, host, "unknown host");
        }
    }
}
