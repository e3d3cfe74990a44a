package io.tributary.cli.common;

import java.util.Map;

/**
 * Where the CLI takes a setting when its flag is not given, by the name of the environment variable
 * that sets it ({@code TRIBUTARY_CONNECT_URL}, {@code TRIBUTARY_LAKE_BUCKET}, {@code AWS_REGION}, ...:
 * the names the connector configs and the streams app use too). In production the environment; in
 * {@code ./tributary} the running local stack first (see {@link io.tributary.cli.CliExtension}).
 */
@FunctionalInterface
public interface Settings {
    /** The value, or null when this source has none. */
    String get(String name);

    static Settings environment() {
        return System::getenv;
    }

    static Settings of(Map<String, String> values) {
        return values::get;
    }

    /** This source, and {@code next} where it has no value. */
    default Settings orElse(Settings next) {
        return name -> {
            String value = get(name);
            return value != null ? value : next.get(name);
        };
    }
}
