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
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.streams.dlq.RecordFailure;
import io.tributary.streams.dlq.SafeErrorText;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Flattens the bytes of a JSON object to column names: nested objects become {@code parent_child},
 * to any depth; arrays, scalars and nulls are leaves. Keys may be any Unicode. It reads the bytes as
 * a token stream and hands each leaf over as it is read, without building a tree of the document:
 * parsing is the largest per-event cost of the events path. Scalars are {@link JsonNode}s; numbers
 * are exact (a number with a fraction or exponent is a decimal read from its text, never a double,
 * so 1234567890123456.78 and 1e400 stay what they are). An array is kept whole, as a text node
 * holding its compact JSON with numbers as written. A key repeated within one object yields its
 * name twice (a tree parse would keep only the last value, silently). A name longer than the
 * maximum fails the event as soon as it is read.
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
    private final int maxNameLength;
    private final int maxRememberedPaths;

    /** Flattens to names of at most {@code maxNameLength} characters; a longer one is a {@code limit} failure. */
    public JsonFlattener(Function<String, C> columnOf, int maxNameLength) {
        this(columnOf, maxNameLength, 10_000);
    }

    /** Beyond {@code maxRememberedPaths} paths (e.g. ids used as keys), names and columns are made per event and not kept. */
    JsonFlattener(Function<String, C> columnOf, int maxNameLength, int maxRememberedPaths) {
        this.columnOf = columnOf;
        this.maxNameLength = maxNameLength;
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
            throw new RecordFailure(RecordFailure.PARSE, SafeErrorText.invalidJson(e), e);
        } catch (IOException e) {
            throw new RecordFailure(RecordFailure.PARSE, "cannot read the record: " + SafeErrorText.classes(e), e);
        }
    }

    /**
     * Whether JSON bytes can hold a lone UTF-16 surrogate: only through a {@code \\uD800}-{@code \\uDFFF}
     * escape, as the parser refuses surrogates encoded in the bytes themselves. A quick scan that
     * spares the per-character check of every string for the events that have no such escape.
     */
    public static boolean mayHoldLoneSurrogates(byte[] json) {
        for (int i = 0; i + 2 < json.length; i++) {
            if (json[i] == '\\' && json[i + 1] == 'u' && (json[i + 2] == 'd' || json[i + 2] == 'D')) {
                return true;
            }
        }
        return false;
    }

    /** Whether text holds a surrogate that is not part of a pair. */
    public static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
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
        int length = parent == root ? key.length() : parent.name.length() + 1 + key.length();
        if (length > maxNameLength) {
            String start = parent == root ? key : parent.name;
            throw new RecordFailure(RecordFailure.LIMIT, "a field name flattens to " + length + " characters ("
                    + start.substring(0, Math.min(40, start.length())) + "...), more than events.max.name.length=" + maxNameLength);
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

    /** The node for this token: what Jackson's tree deserializer makes, but exact decimals for numbers with a fraction or exponent. */
    private static JsonNode leaf(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> IntNode.valueOf(parser.getIntValue());
                case LONG -> LongNode.valueOf(parser.getLongValue());
                default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> DecimalNode.valueOf(parser.getDecimalValue());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            case START_ARRAY -> TextNode.valueOf(compactJson(parser));
            default -> throw new RecordFailure(RecordFailure.PARSE, "unexpected JSON token " + token);
        };
    }

    /**
     * The array at the parser as compact JSON, written token by token: numbers as written, strings
     * with Jackson's escapes; without a tree, and without a generator per array (which cost more
     * than the copying).
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
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.append(parser.getText());
            case VALUE_TRUE -> out.append("true");
            case VALUE_FALSE -> out.append("false");
            case VALUE_NULL -> out.append("null");
            default -> throw new RecordFailure(RecordFailure.PARSE, "unexpected JSON token " + token);
        }
    }

    /**
     * The text of a leaf as a string column keeps it: a string's value, a number's exact value (a
     * decimal in Java's notation, e.g. 1E+400), anything else its JSON. Scalars are rendered here
     * because {@link JsonNode#toString()} builds a JSON generator for each call.
     */
    public static String text(JsonNode leaf) {
        return switch (leaf.getNodeType()) {
            case STRING -> leaf.textValue();
            case BOOLEAN -> leaf.booleanValue() ? "true" : "false";
            case NULL -> "null";
            case NUMBER -> switch (leaf.numberType()) {
                case INT, LONG -> Long.toString(leaf.longValue());
                case BIG_INTEGER -> leaf.bigIntegerValue().toString();
                case BIG_DECIMAL -> leaf.decimalValue().toString();
                default -> leaf.toString(); // floats and doubles: nodes the flattener does not make
            };
            default -> leaf.toString();
        };
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
