package io.tributary.streams.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/**
 * One measure of a dashboard aggregate, as configured: {@code count}, {@code sum(col)}, {@code min(col)},
 * {@code max(col)} or {@code approx_distinct(col)}, optionally named {@code :name} (the output column;
 * otherwise {@code count}, {@code sum_col}, ...).
 *
 * @param kind   what is computed
 * @param column the input column, null for count
 * @param name   the output column, a PostgreSQL identifier
 */
public record Measure(Kind kind, String column, String name) {
    private static final Pattern SYNTAX = Pattern.compile("([a-z_]+)(?:\\(\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\))?(?:\\s*:\\s*(\\S+))?");
    static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** What a measure computes. Only count and sum can be taken back, so only they hold CDC tables' current state. */
    public enum Kind {
        COUNT, SUM, MIN, MAX, APPROX_DISTINCT;

        public boolean subtractable() {
            return this == COUNT || this == SUM;
        }

        public boolean numericInput() {
            return this == SUM || this == MIN || this == MAX;
        }

        String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Parses one entry of {@code dashboards.aggregate.<name>.measures}; {@code key} names that setting in errors. */
    public static Measure parse(String key, String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        Kind kind = null;
        if (m.matches()) {
            for (Kind k : Kind.values()) {
                if (k.keyword().equals(m.group(1))) {
                    kind = k;
                }
            }
        }
        if (kind == null || (kind == Kind.COUNT) != (m.group(2) == null)) {
            throw new ConfigException(key, text, "expected count, sum(column), min(column), max(column) or "
                    + "approx_distinct(column), each optionally followed by :output_name");
        }
        String column = m.group(2);
        String name = m.group(3) != null ? m.group(3) : kind == Kind.COUNT ? "count" : kind.keyword() + "_" + column;
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new ConfigException(key, text, "output name '" + name + "' is not a lower-case SQL identifier ([a-z_][a-z0-9_]*)");
        }
        return new Measure(kind, column, name);
    }
}
