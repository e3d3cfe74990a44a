package io.tributary.streams.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.streams.dlq.RecordFailure;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flattens a JSON object to column names: nested objects become {@code parent_child}, to any depth;
 * arrays, scalars and nulls are leaves (arrays are kept whole, as JSON). Keys may be any Unicode.
 */
public final class JsonFlattener {
    private JsonFlattener() {
    }

    /** Flattened leaves in document order; two paths flattening to one name are an error. */
    public static Map<String, JsonNode> flatten(JsonNode object) {
        if (!object.isObject()) {
            throw new RecordFailure(RecordFailure.PARSE, "the event is a JSON " + object.getNodeType().name().toLowerCase()
                    + ", not an object");
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        flatten("", object, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode object, Map<String, JsonNode> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix.isEmpty() ? e.getKey() : prefix + "_" + e.getKey();
            if (e.getValue().isObject()) {
                flatten(name, e.getValue(), out);
            } else if (out.putIfAbsent(name, e.getValue()) != null) {
                throw new RecordFailure(RecordFailure.VALIDATE, "two fields flatten to the same column '" + name
                        + "' (e.g. a_b and a.b); rename one of them at the producer");
            }
        }
    }
}
