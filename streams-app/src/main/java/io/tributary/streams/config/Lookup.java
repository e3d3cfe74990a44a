package io.tributary.streams.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One enrichment lookup: the event field whose value is a key of a master table, and which master
 * columns are copied into which event fields, as of the event's time.
 *
 * @param name      the lookup's name (its metric tag and the {@code missing:<name>} status)
 * @param eventField flattened event field holding the master key, e.g. source_type_id
 * @param table     the CDC table holding the masters, e.g. masters
 * @param keyColumn the master table's key column, e.g. id
 * @param columns   master column to event field, e.g. display_name to source_type_name
 */
public record Lookup(String name, String eventField, String table, String keyColumn, Map<String, String> columns) {
    public Lookup {
        columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /**
     * The master's key in a row of {@link #table}, or null when the key column is null, missing or
     * not a scalar (an object or array would otherwise key the master by an empty string).
     */
    public String masterKey(com.fasterxml.jackson.databind.JsonNode row) {
        com.fasterxml.jackson.databind.JsonNode key = row.path(keyColumn);
        return key.isValueNode() ? key.asText(null) : null;
    }
}
