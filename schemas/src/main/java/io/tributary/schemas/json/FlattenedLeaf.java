package io.tributary.schemas.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * One leaf of a JSON event, found by the name the streams app flattens it to (nested keys joined by
 * {@code _}; an array is a leaf, never a time or an id), read from the raw bytes in one streaming
 * pass that stops at the first match: how the raw archive and replays read an event's time or id
 * without parsing the whole event.
 *
 * @param token the leaf's token (a scalar, or START_ARRAY for an array)
 * @param text  the scalar's text as written (numbers exactly), null for an array
 */
public record FlattenedLeaf(JsonToken token, String text) {
    private static final JsonFactory JSON = new JsonFactory();

    /** The first leaf named {@code name} in a JSON object's bytes; null when there is none or the bytes are no object. */
    public static FlattenedLeaf find(byte[] json, String name) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            return p.nextToken() == JsonToken.START_OBJECT ? findIn(p, name, 0) : null;
        }
    }

    /**
     * Searches the object the parser has just entered, whose flattened prefix is the first {@code prefix}
     * characters of {@code name}, and stops at the first match. An object whose prefix is not one of
     * {@code name}'s is skipped, and no flattened name is built. A replay and the raw archive read every
     * event this way; most of the cost left is Jackson tokenizing what it skips (JFR, BENCHMARKS.md).
     */
    private static FlattenedLeaf findIn(JsonParser p, String name, int prefix) throws IOException {
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String key = p.currentName();
            int end = prefix + key.length();
            boolean keyMatches = end <= name.length() && name.startsWith(key, prefix);
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT) {
                if (keyMatches && end < name.length() && name.charAt(end) == '_') {
                    FlattenedLeaf found = findIn(p, name, end + 1);
                    if (found != null) {
                        return found;
                    }
                } else {
                    p.skipChildren();
                }
            } else if (value == JsonToken.START_ARRAY) {
                p.skipChildren();
                if (keyMatches && end == name.length()) {
                    return new FlattenedLeaf(JsonToken.START_ARRAY, null);
                }
            } else if (keyMatches && end == name.length()) {
                return new FlattenedLeaf(value, p.getText());
            }
        }
        return null;
    }

    public boolean isNumber() {
        return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
    }

    public boolean isString() {
        return token == JsonToken.VALUE_STRING;
    }
}
