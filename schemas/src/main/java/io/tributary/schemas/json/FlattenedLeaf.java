package io.tributary.schemas.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * One leaf of a JSON event, found by the name the streams app flattens it to (nested keys joined by
 * {@code _}; an array is a leaf, never a time or an id), read from the raw bytes in one streaming
 * pass that stops as soon as it has what it was asked for: how the raw archive and replays read an
 * event's time and id without parsing the whole event.
 *
 * @param token the leaf's token (a scalar, or START_ARRAY for an array)
 * @param text  the scalar's text as written (numbers exactly), null for an array
 */
public record FlattenedLeaf(JsonToken token, String text) {
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * The first leaf named {@code name} in a JSON object's bytes; null when there is none, the bytes are
     * no object, or they stop being JSON before it.
     */
    public static FlattenedLeaf find(byte[] json, String name) {
        return findAll(json, name)[0];
    }

    /**
     * The first leaf of each of {@code names} (null for a name without one), from one pass that stops
     * once every name has its leaf: what {@link #find} gives for each name, for the cost of one scan. A
     * leaf found before the bytes stop being JSON is kept, as a scan for that name alone would have
     * stopped at it; the names not found by then are null.
     */
    public static FlattenedLeaf[] findAll(byte[] json, String... names) {
        FlattenedLeaf[] found = new FlattenedLeaf[names.length];
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                findIn(p, names, new int[names.length], found, new int[] {names.length});
            }
        } catch (IOException | RuntimeException notJson) {
            // what was found before the bytes stopped being readable JSON stands; the rest is null (no
            // input may stop a replay or the raw archive: such an event's time is its Kafka timestamp)
        }
        return found;
    }

    /**
     * Searches the object the parser has just entered. {@code prefix[i]} is how many characters of
     * {@code names[i]} the object's flattened prefix covers, or -1 when that name cannot be inside it;
     * an object no missing name can be inside is skipped, and no flattened name is built. Returns true
     * once every name has its leaf. A replay and the raw archive read every event this way; most of the
     * cost left is Jackson tokenizing what it skips (JFR, BENCHMARKS.md).
     */
    private static boolean findIn(JsonParser p, String[] names, int[] prefix, FlattenedLeaf[] found, int[] missing)
            throws IOException {
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT) {
                int[] inside = null;
                for (int i = 0; i < names.length; i++) {
                    if (found[i] == null && prefix[i] >= 0 && continuesInto(names[i], prefix[i], key)) {
                        if (inside == null) {
                            inside = new int[names.length];
                            Arrays.fill(inside, -1);
                        }
                        inside[i] = prefix[i] + key.length() + 1;
                    }
                }
                if (inside == null) {
                    p.skipChildren();
                } else if (findIn(p, names, inside, found, missing)) {
                    return true;
                }
                continue;
            }
            if (value == JsonToken.START_ARRAY) {
                p.skipChildren();
            }
            for (int i = 0; i < names.length; i++) {
                if (found[i] == null && prefix[i] >= 0 && prefix[i] + key.length() == names[i].length()
                        && names[i].startsWith(key, prefix[i])) {
                    found[i] = value == JsonToken.START_ARRAY ? new FlattenedLeaf(JsonToken.START_ARRAY, null)
                            : new FlattenedLeaf(value, p.getText());
                    if (--missing[0] == 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether {@code name}, from {@code at} on, is {@code key} followed by {@code _} and more. */
    private static boolean continuesInto(String name, int at, String key) {
        int end = at + key.length();
        return end < name.length() && name.charAt(end) == '_' && name.startsWith(key, at);
    }

    public boolean isNumber() {
        return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
    }

    public boolean isString() {
        return token == JsonToken.VALUE_STRING;
    }
}
