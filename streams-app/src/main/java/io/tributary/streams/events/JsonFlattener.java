package io.tributary.streams.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
import java.io.StringWriter;

/**
 * Flattens the bytes of a JSON object to column names: nested objects become {@code parent_child},
 * to any depth; arrays, scalars and nulls are leaves. Keys may be any Unicode. It reads the bytes as
 * a token stream and hands each leaf over as it is read, without building a tree of the document:
 * parsing is the largest per-event cost of the events path. Scalars are the {@link JsonNode}s a tree
 * parse would hold and render identically; an array is kept whole, as a text node holding its
 * compact JSON. A key repeated within one object yields its name twice (a tree parse would keep
 * only the last value, silently).
 */
public final class JsonFlattener {
    /** Receives the leaves in document order. */
    @FunctionalInterface
    public interface Leaves {
        void leaf(String name, JsonNode value);
    }

    private static final JsonFactory JSON = new JsonFactory();

    private JsonFlattener() {
    }

    /** Calls {@code out} for every leaf; input that is not one JSON object is a {@code parse} failure. */
    public static void flatten(byte[] bytes, Leaves out) {
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

    private static void object(JsonParser parser, String prefix, Leaves out) throws IOException {
        for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
            String name = prefix == null ? key : prefix + '_' + key;
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_OBJECT) {
                object(parser, name, out);
            } else {
                out.leaf(name, leaf(parser, token));
            }
        }
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

    /** The array at the parser as compact JSON, copied token by token: the text a tree parse would print, without the tree. */
    private static String compactJson(JsonParser parser) throws IOException {
        StringWriter text = new StringWriter(64);
        try (JsonGenerator generator = JSON.createGenerator(text)) {
            generator.copyCurrentStructure(parser);
        }
        return text.toString();
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
