package io.tributary.schemas.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

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
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Deque<String> prefixes = new ArrayDeque<>();
            prefixes.push("");
            String current = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case FIELD_NAME -> current = prefixes.peek() + p.currentName();
                    case START_OBJECT -> prefixes.push(current + "_");
                    case END_OBJECT -> prefixes.pop();
                    case START_ARRAY -> {
                        p.skipChildren();
                        if (name.equals(current)) {
                            return new FlattenedLeaf(JsonToken.START_ARRAY, null);
                        }
                    }
                    default -> {
                        if (name.equals(current)) {
                            return new FlattenedLeaf(t, p.getText());
                        }
                    }
                }
            }
            return null;
        }
    }

    public boolean isNumber() {
        return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
    }

    public boolean isString() {
        return token == JsonToken.VALUE_STRING;
    }
}
