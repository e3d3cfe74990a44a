package io.tributary.schemas.registry;

import java.util.Locale;

/**
 * The compatibility levels of the Confluent Schema Registry, with their meaning spelled out:
 * which direction(s) a new schema is checked in, and against the latest version or all of them.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** New schema (reader) must read data written with the older schema(s). */
    final boolean newReadsOld;
    /** Older schema(s) (reader) must read data written with the new schema. */
    final boolean oldReadsNew;
    /** Check against every earlier version, not just the latest. */
    final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /** Parses a level as the registry REST API spells it, case-insensitively. */
    public static CompatibilityLevel parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("Invalid compatibility level '" + text + "'; expected one of "
                    + java.util.Arrays.toString(values()));
        }
    }
}
