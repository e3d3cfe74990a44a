package io.tributary.streams.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.streams.dlq.RecordFailure;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonFlattenerTest {
    /** A tree parse with exact numbers, as the flattener reads them: decimals from the text, trailing zeros kept. */
    private static final ObjectMapper TREE = new ObjectMapper().configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static final int NO_NAME_LIMIT = Integer.MAX_VALUE;
    /** The columns the tests' flatteners resolve names to: each leaf must come with its own name's. */
    private static final Function<String, String> COLUMN_OF = name -> "column:" + name;

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}},\"a_x\":\"y\",\"tags\":[\"sale\",\"初売り\",1.50,1e3,null,true,{\"k\":[]}]}",
        "{\"メタ\":{\"キャンペーン\":\"冬\",\"n\":null},\"big\":123456789012345678901234567890,\"neg\":-0.0,\"esc\":\"q\\\"\\\\\\n\\u0001\"}",
        "{\"empty\":{},\"arr\":[[1,[2,[3]]],\"\\u00e9\"],\"l\":9223372036854775807,\"i\":-2147483648,\"f\":0.1}",
        "{\"n\":[1e400,-1e400,-0,-0.0,1.0E-7,12345678901234567890,2147483648,1.50],\"o\":[{\"a\":{},\"b\":[]},{}],\"e\":[]}",
        "{\"inf\":1e400,\"ninf\":-1e400,\"z\":-0.0,\"zi\":-0,\"e\":1.0E-7,\"b\":123456789012345678901234567890,\"t\":false}",
        "{\"s\":[\"\\u0000\\u001f\\b\\f\\r\\t/<>&\\u2028\\ud83d\\ude00\",{\"k\\\"\\\\\":\"v\"}]}",
    })
    void yieldsTheLeavesATreeParseWouldFlattenTo(String json) throws Exception {
        assertAgreesWithTree(new JsonFlattener<>(COLUMN_OF, NO_NAME_LIMIT), json);
    }

    /** Numbers are exact: decimals as written (no double in between), in scalars and in arrays alike. */
    @Test
    void numbersStayExact() {
        String json = "{\"amount\":1234567890123456.78,\"big\":1e400,\"tiny\":1e-400,\"scaled\":139.70,"
                + "\"arr\":[1234567890123456.78,1e400,-0,139.70]}";
        assertThat(streamed(new JsonFlattener<>(COLUMN_OF, NO_NAME_LIMIT), json)).containsExactly(
                Map.entry("amount", "NUMBER:1234567890123456.78"), Map.entry("big", "NUMBER:1E+400"),
                Map.entry("tiny", "NUMBER:1E-400"), Map.entry("scaled", "NUMBER:139.70"),
                Map.entry("arr", "STRING:[1234567890123456.78,1e400,-0,139.70]"));
    }

    /** A name past the limit fails as soon as it is read, naming the limit, before the rest of the document. */
    @Test
    void aNameLongerThanTheLimitIsALimitFailure() {
        JsonFlattener<String> flattener = new JsonFlattener<>(COLUMN_OF, 10);
        assertThat(streamed(flattener, "{\"abcd\":{\"efghi\":1}}")).containsExactly(Map.entry("abcd_efghi", "NUMBER:1"));
        assertThatThrownBy(() -> flattener.flatten("{\"abcd\":{\"efghij\":1},\"x\":".getBytes(StandardCharsets.UTF_8),
                (name, c, v) -> { })).isInstanceOfSatisfying(RecordFailure.class, f -> {
                    assertThat(f.stage()).isEqualTo(RecordFailure.LIMIT);
                    assertThat(f.getMessage()).contains("11 characters", "events.max.name.length=10");
                });
    }

    @Test
    void findsLoneSurrogatesButNotPairs() {
        assertThat(JsonFlattener.hasLoneSurrogate("a\ud83d\ude00b")).isFalse();
        assertThat(JsonFlattener.hasLoneSurrogate("a\ud800")).isTrue();
        assertThat(JsonFlattener.hasLoneSurrogate("\udc00a")).isTrue();
        assertThat(JsonFlattener.hasLoneSurrogate("\ude00\ud83d")).isTrue();
        assertThat(JsonFlattener.mayHoldLoneSurrogates("{\"a\":\"\\uD800\"}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(JsonFlattener.mayHoldLoneSurrogates("{\"a\":\"\\u00e9 😀\"}".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    /** Random documents: nesting to depth 5, every JSON type, Unicode and escapes in keys and values. */
    @ParameterizedTest
    @ValueSource(ints = {0, 50, 10_000})
    void agreesWithATreeParseOnRandomDocuments(int rememberedPaths) throws Exception {
        JsonFlattener<String> flattener = new JsonFlattener<>(COLUMN_OF, NO_NAME_LIMIT, rememberedPaths);
        Random random = new Random(7);
        for (int n = 0; n < 2_000; n++) {
            assertAgreesWithTree(flattener, randomObject(random, 0).toString());
        }
    }

    /**
     * Documents over a few keys, in varying orders and nesting, escaped or not, so that the key
     * order remembered from earlier documents is right for some keys and wrong for others.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 3, 10_000})
    void keysInTheOrderOfEarlierDocumentsOrNotGiveTheSameLeaves(int rememberedPaths) throws Exception {
        JsonFlattener<String> flattener = new JsonFlattener<>(COLUMN_OF, NO_NAME_LIMIT, rememberedPaths);
        Random random = new Random(11);
        List<String> documents = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            documents.add(randomObject(random, 0, SHARED_KEYS).toString());
        }
        documents.add("{\"a\":1,\"b\":{\"c\":2}}");
        documents.add("{\"\\u0061\":1,\"b\":{\"\\u0063\":2}}"); // the same keys, escaped
        documents.add("{\"ab\":1,\"b\":{\"c\":2,\"a\":3}}");
        documents.add("{\"a\":1,\"b\":{}}");
        for (int pass = 0; pass < 3; pass++) {
            for (String json : documents) {
                assertAgreesWithTree(flattener, json);
            }
            java.util.Collections.shuffle(documents, random);
        }
    }

    /** Paths are remembered up to the bound; past it (ids as keys) names and columns are still right, only made each time. */
    @Test
    void pathsPastTheRememberedBoundAreStillRight() {
        JsonFlattener<String> flattener = new JsonFlattener<>(COLUMN_OF, NO_NAME_LIMIT, 100);
        for (int round = 0; round < 2; round++) {
            for (int id = 0; id < 300; id++) {
                String json = "{\"by_id\":{\"" + id + "\":{\"n\":" + id + "}},\"x\":{\"y\":true}}";
                assertThat(streamed(flattener, json)).containsExactly(Map.entry("by_id_" + id + "_n", "NUMBER:" + id),
                        Map.entry("x_y", "BOOLEAN:true"));
            }
        }
    }

    @Test
    void repeatedKeysYieldTheNameTwice() {
        List<String> names = new ArrayList<>();
        new JsonFlattener<>(COLUMN_OF, NO_NAME_LIMIT).flatten("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8), (name, c, v) -> names.add(name));
        assertThat(names).containsExactly("a", "a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "[1]", "\"s\"", "3", "null", "{\"a\":", "{\"a\":1,}", "{\"a\":[1,}"})
    void anythingButOneObjectIsAParseFailure(String json) {
        assertThatThrownBy(() -> new JsonFlattener<>(COLUMN_OF, NO_NAME_LIMIT).flatten(json.getBytes(StandardCharsets.UTF_8), (name, c, v) -> { }))
                .isInstanceOfSatisfying(RecordFailure.class, f -> assertThat(f.stage()).isEqualTo(RecordFailure.PARSE));
    }

    private static List<Map.Entry<String, String>> streamed(JsonFlattener<String> flattener, String json) {
        return streamedNodes(flattener, json).stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().getNodeType() + ":" + JsonFlattener.text(e.getValue()))).toList();
    }

    private static List<Map.Entry<String, JsonNode>> streamedNodes(JsonFlattener<String> flattener, String json) {
        List<Map.Entry<String, JsonNode>> leaves = new ArrayList<>();
        flattener.flatten(json.getBytes(StandardCharsets.UTF_8), (name, column, v) -> {
            assertThat(column).as("column of %s in %s", name, json).isEqualTo(COLUMN_OF.apply(name));
            String printed = v.isTextual() ? v.asText() : v.toString();
            assertThat(JsonFlattener.text(v)).as("text of %s in %s", name, json).isEqualTo(printed);
            leaves.add(Map.entry(name, v));
        });
        return leaves;
    }

    /**
     * The leaves of a tree parse with exact numbers, walked depth first, have the same names and
     * values; an array leaf (the flattener's text) parses to the same array.
     */
    private static void assertAgreesWithTree(JsonFlattener<String> flattener, String json) throws Exception {
        List<Map.Entry<String, JsonNode>> ours = streamedNodes(flattener, json);
        List<Map.Entry<String, JsonNode>> tree = new ArrayList<>();
        walk(null, TREE.readTree(json), tree);
        assertThat(ours).as(json).hasSameSizeAs(tree);
        for (int i = 0; i < tree.size(); i++) {
            JsonNode expected = tree.get(i).getValue();
            JsonNode actual = expected.isArray() ? TREE.readTree(ours.get(i).getValue().textValue()) : ours.get(i).getValue();
            assertThat(ours.get(i).getKey()).as(json).isEqualTo(tree.get(i).getKey());
            assertThat(actual).as("%s in %s", tree.get(i).getKey(), json).isEqualTo(expected);
        }
    }

    private static void walk(String prefix, JsonNode object, List<Map.Entry<String, JsonNode>> leaves) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix == null ? e.getKey() : prefix + "_" + e.getKey();
            if (e.getValue().isObject()) {
                walk(name, e.getValue(), leaves);
            } else {
                leaves.add(Map.entry(name, e.getValue()));
            }
        }
    }

    /** A few keys, some prefixes of others, some only different after an escape. */
    private static final String[] SHARED_KEYS = {"a", "b", "c", "ab", "a_b", "é", "東京", "q\"", "x\ny"};

    private static ObjectNode randomObject(Random random, int depth) {
        return randomObject(random, depth, null);
    }

    /** Keys from {@code keys} in random order when given, else random text. */
    private static ObjectNode randomObject(Random random, int depth, String[] keys) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        int fields = random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            String key = keys == null ? randomText(random) + i : keys[random.nextInt(keys.length)];
            object.set(key, keys != null && depth < 3 && random.nextInt(3) == 0 ? randomObject(random, depth + 1, keys)
                    : randomValue(random, depth + 1));
        }
        return object;
    }

    private static JsonNode randomValue(Random random, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (random.nextInt(depth < 5 ? 10 : 8)) {
            case 0: return f.textNode(randomText(random));
            case 1: return f.numberNode(random.nextInt());
            case 2: return f.numberNode(random.nextLong());
            case 3: return f.numberNode(new BigInteger(80, random));
            case 4: return f.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 5: return f.booleanNode(random.nextBoolean());
            case 6: return f.nullNode();
            case 7: return f.textNode("");
            case 8: {
                ArrayNode array = f.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(random, depth + 1));
                }
                return array;
            }
            default: return randomObject(random, depth);
        }
    }

    private static String randomText(Random random) {
        int[] alphabet = "ab_Zé東京都冬\"\\\n\t\u0001/ 😀".codePoints().toArray();
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            s.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
        }
        return s.toString();
    }
}
