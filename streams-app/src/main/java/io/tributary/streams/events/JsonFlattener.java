package io.tributary.streams.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.SerializedString;
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
import java.util.function.Function;

/**
 * Flattens the bytes of a JSON object to column names: nested objects become {@code parent_child},
 * to any depth; arrays, scalars and nulls are leaves. Keys may be any Unicode. It reads the bytes as
 * a token stream and hands each leaf over as it is read, without building a tree of the document:
 * parsing is the largest per-event cost of the events path. Scalars are the {@link JsonNode}s a tree
 * parse would hold and render identically; an array is kept whole, as a text node holding its
 * compact JSON. A key repeated within one object yields its name twice (a tree parse would keep
 * only the last value, silently).
 *
 * <p>Each leaf comes with its column: what the {@code columnOf} function given at construction says
 * for the leaf's name (null for none). One flattener serves every thread of the app. It remembers
 * the paths it has seen (a bounded number) with their names and columns, so that a leaf costs one
 * lookup per key on its path instead of a new name, its hash and a column lookup; and when keys
 * come in the order of the documents before, not even that (see {@link Path#first}).
 *
 * @param <C> the column type
 */
public final class JsonFlattener<C> {
    /** Receives the leaves in document order. */
    @FunctionalInterface
    public interface Leaves<C> {
        void leaf(String name, C column, JsonNode value);
    }

    /**
     * A path seen in documents: its name, its column, and the paths below it. Past the bound,
     * paths are made per event and have no {@code children}.
     */
    private static final class Path<C> {
        final String name;
        final C column;
        final Map<String, Path<C>> children;
        /** The key as the parser matches it (bytes prepared here, so that every thread sees them). */
        final SerializedString key;
        /**
         * Hints from the documents read so far: the path of this object's first key, and of the key
         * after this one. A producer usually writes keys in one order, and matching the expected
         * key's bytes skips the parser's name lookup and ours. Written without synchronization on
         * purpose: a hint is only compared, so a stale or raced one costs a lookup, never a wrong name.
         */
        Path<C> first;
        Path<C> next;

        Path(String key, String name, C column, Map<String, Path<C>> children) {
            this.name = name;
            this.column = column;
            this.children = children;
            this.key = key == null ? null : prepared(key);
        }

        private static SerializedString prepared(String key) {
            SerializedString prepared = new SerializedString(key);
            prepared.asQuotedUTF8();
            return prepared;
        }
    }

    /** Field names read through one factory are canonical instances, with their hash already computed. */
    private static final JsonFactory JSON = new JsonFactory();
    private final Function<String, C> columnOf;
    private final Path<C> root = new Path<>(null, null, null, new ConcurrentHashMap<>());
    private final AtomicInteger rememberedPaths = new AtomicInteger();
    private final int maxRememberedPaths;

    public JsonFlattener(Function<String, C> columnOf) {
        this(columnOf, 10_000);
    }

    /** Beyond {@code maxRememberedPaths} paths (e.g. ids used as keys), names and columns are made per event and not kept. */
    JsonFlattener(Function<String, C> columnOf, int maxRememberedPaths) {
        this.columnOf = columnOf;
        this.maxRememberedPaths = maxRememberedPaths;
    }

    /** Calls {@code out} for every leaf; input that is not one JSON object is a {@code parse} failure. */
    public void flatten(byte[] bytes, Leaves<C> out) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new RecordFailure(RecordFailure.PARSE, "the record is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new RecordFailure(RecordFailure.PARSE, "the event is a JSON " + kind(first) + ", not an object");
            }
            object(parser, root, out);
        } catch (JsonProcessingException e) {
            throw new RecordFailure(RecordFailure.PARSE, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new RecordFailure(RecordFailure.PARSE, "cannot read the record: " + e.getMessage(), e);
        }
    }

    private void object(JsonParser parser, Path<C> parent, Leaves<C> out) throws IOException {
        Path<C> previous = null;
        while (true) {
            Path<C> expected = previous == null ? parent.first : previous.next;
            Path<C> path;
            if (expected != null && parser.nextFieldName(expected.key)) {
                path = expected;
            } else {
                String key = expected == null ? parser.nextFieldName()
                        : parser.currentToken() == JsonToken.FIELD_NAME ? parser.currentName() : null;
                if (key == null) {
                    return;
                }
                path = child(parent, key);
                if (previous == null) {
                    parent.first = path;
                } else {
                    previous.next = path;
                }
            }
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_OBJECT) {
                object(parser, path, out);
            } else {
                out.leaf(path.name, path.column, leaf(parser, token));
            }
            previous = path;
        }
    }

    private Path<C> child(Path<C> parent, String key) {
        Path<C> path = parent.children == null ? null : parent.children.get(key);
        if (path != null) {
            return path;
        }
        String name = parent == root ? key : parent.name + '_' + key;
        boolean remember = parent.children != null && rememberedPaths.get() < maxRememberedPaths;
        path = new Path<>(key, name, columnOf.apply(name), remember ? new ConcurrentHashMap<>() : null);
        if (remember) {
            Path<C> raced = parent.children.putIfAbsent(key, path);
            if (raced != null) {
                return raced;
            }
            rememberedPaths.incrementAndGet();
        }
        return path;
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
