package io.tributary.streams.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.streams.dlq.RecordFailure;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Flattens the bytes of a JSON object to column names: nested objects become {@code parent_child},
 * to any depth; arrays, scalars and nulls are leaves. Keys may be any Unicode. It reads the bytes as
 * a token stream and hands each leaf over as it is read, without building a tree of the document:
 * parsing is the largest per-event cost of the events path. Scalars are the {@link JsonNode}s a tree
 * parse would hold and render identically; an array is kept whole, as a text node holding its
 * compact JSON. A key repeated within one object yields its name twice (a tree parse would keep
 * only the last value, silently).
 *
 * <p>One flattener serves every thread of the app. It remembers the names it made for nested keys
 * (a bounded number), so that a nested leaf costs two lookups instead of a new string and its hash.
 */
public final class JsonFlattener {
    /** Receives the leaves in document order. */
    @FunctionalInterface
    public interface Leaves {
        void leaf(String name, JsonNode value);
    }

    /** Field names read through one factory are canonical instances, with their hash already computed. */
    private static final JsonFactory JSON = new JsonFactory();
    private final Map<String, Map<String, String>> nestedNames = new ConcurrentHashMap<>();
    private final AtomicInteger rememberedNames = new AtomicInteger();
    private final int maxRememberedNames;

    public JsonFlattener() {
        this(10_000);
    }

    /** Beyond {@code maxRememberedNames} nested names (e.g. ids used as keys), names are made per event and not kept. */
    JsonFlattener(int maxRememberedNames) {
        this.maxRememberedNames = maxRememberedNames;
    }

    /** Calls {@code out} for every leaf; input that is not one JSON object is a {@code parse} failure. */
    public void flatten(byte[] bytes, Leaves out) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new RecordFailure(RecordFailure.PARSE, "the record is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new RecordFailure(RecordFailure.PARSE, "the event is a JSON " + kind(first) + ", not an object");
            }
            object(parser, null, out);
        } catch (JsonProcessingException e) {
            throw new RecordFailure(RecordFailure.PARSE, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new RecordFailure(RecordFailure.PARSE, "cannot read the record: " + e.getMessage(), e);
        }
    }

    private void object(JsonParser parser, String prefix, Leaves out) throws IOException {
        for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
            String name = prefix == null ? key : nestedName(prefix, key);
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_OBJECT) {
                object(parser, name, out);
            } else {
                out.leaf(name, leaf(parser, token));
            }
        }
    }

    private String nestedName(String prefix, String key) {
        Map<String, String> children = nestedNames.get(prefix);
        String name = children == null ? null : children.get(key);
        if (name != null) {
            return name;
        }
        name = prefix + '_' + key;
        if (rememberedNames.get() < maxRememberedNames
                && nestedNames.computeIfAbsent(prefix, p -> new ConcurrentHashMap<>()).putIfAbsent(key, name) == null) {
            rememberedNames.incrementAndGet();
        }
        return name;
    }

    /** The node Jackson's own tree deserializer makes for this token (so e.g. 139.70 renders as 139.7). */
    private static JsonNode leaf(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> IntNode.valueOf(parser.getIntValue());
                case LONG -> LongNode.valueOf(parser.getLongValue());
                default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> DoubleNode.valueOf(parser.getDoubleValue());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            case START_ARRAY -> TextNode.valueOf(compactJson(parser));
            default -> throw new RecordFailure(RecordFailure.PARSE, "unexpected JSON token " + token);
        };
    }

    /**
     * The array at the parser as compact JSON, written token by token: the text a tree parse would
     * print (numbers as the nodes it makes print them, strings with Jackson's escapes), without the
     * tree, and without a generator per array (which cost more than the copying).
     */
    private static String compactJson(JsonParser parser) throws IOException {
        StringBuilder text = new StringBuilder(64);
        appendValue(parser, JsonToken.START_ARRAY, text);
        return text.toString();
    }

    private static void appendValue(JsonParser parser, JsonToken token, StringBuilder out) throws IOException {
        switch (token) {
            case START_ARRAY -> {
                out.append('[');
                boolean first = true;
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    out.append(first ? "" : ",");
                    first = false;
                    appendValue(parser, t, out);
                }
                out.append(']');
            }
            case START_OBJECT -> {
                out.append('{');
                boolean first = true;
                for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
                    out.append(first ? "" : ",");
                    first = false;
                    appendQuoted(key, out);
                    out.append(':');
                    appendValue(parser, parser.nextToken(), out);
                }
                out.append('}');
            }
            case VALUE_STRING -> appendQuoted(parser.getText(), out);
            case VALUE_NUMBER_INT -> {
                switch (parser.getNumberType()) {
                    case INT -> out.append(parser.getIntValue());
                    case LONG -> out.append(parser.getLongValue());
                    default -> out.append(parser.getBigIntegerValue());
                }
            }
            case VALUE_NUMBER_FLOAT -> out.append(doubleText(parser.getDoubleValue()));
            case VALUE_TRUE -> out.append("true");
            case VALUE_FALSE -> out.append("false");
            case VALUE_NULL -> out.append("null");
            default -> throw new RecordFailure(RecordFailure.PARSE, "unexpected JSON token " + token);
        }
    }

    /**
     * The text of a leaf as a string column keeps it: a string's value, anything else the JSON a
     * tree parse prints for it. Scalars are rendered here, as Jackson renders them, because
     * {@link JsonNode#toString()} builds a JSON generator for each call.
     */
    public static String text(JsonNode leaf) {
        return switch (leaf.getNodeType()) {
            case STRING -> leaf.textValue();
            case BOOLEAN -> leaf.booleanValue() ? "true" : "false";
            case NULL -> "null";
            case NUMBER -> switch (leaf.numberType()) {
                case INT, LONG -> Long.toString(leaf.longValue());
                case BIG_INTEGER -> leaf.bigIntegerValue().toString();
                case DOUBLE -> doubleText(leaf.doubleValue());
                default -> leaf.toString(); // floats and big decimals: nodes the flattener does not make
            };
            default -> leaf.toString();
        };
    }

    /** As Jackson writes a double: Java's shortest repr, and a non-finite value as a quoted string by default. */
    private static String doubleText(double v) {
        return Double.isFinite(v) ? Double.toString(v) : '"' + Double.toString(v) + '"';
    }

    private static void appendQuoted(String text, StringBuilder out) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, out);
        out.append('"');
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase();
        };
    }
}
