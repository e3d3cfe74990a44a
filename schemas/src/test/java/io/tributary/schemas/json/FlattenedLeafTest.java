package io.tributary.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link FlattenedLeaf#find}: the first leaf in document order whose flattened name is the one asked for. */
class FlattenedLeafTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void findsTopLevelAndNestedLeavesByTheirFlattenedName() throws IOException {
        String json = "{\"user\":{\"id\":\"u-1\",\"profile\":{\"address\":{\"city\":\"東京\"}}},\"event_id\":\"e-1\",\"n\":7}";
        assertThat(find(json, "event_id")).isEqualTo(new FlattenedLeaf(JsonToken.VALUE_STRING, "e-1"));
        assertThat(find(json, "user_profile_address_city")).isEqualTo(new FlattenedLeaf(JsonToken.VALUE_STRING, "東京"));
        assertThat(find(json, "n")).isEqualTo(new FlattenedLeaf(JsonToken.VALUE_NUMBER_INT, "7"));
        assertThat(find(json, "user_profile")).as("an object is no leaf").isNull();
        assertThat(find(json, "user_name")).isNull();
    }

    @Test
    void underscoresInKeysAndNestingGiveTheSameNameAndTheFirstInDocumentOrderWins() throws IOException {
        assertThat(find("{\"a_b\":1,\"a\":{\"b\":2}}", "a_b").text()).isEqualTo("1");
        assertThat(find("{\"a\":{\"b\":2},\"a_b\":1}", "a_b").text()).isEqualTo("2");
        assertThat(find("{\"a\":{\"c\":0},\"a_b\":{\"c\":3}}", "a_b_c").text()).isEqualTo("3");
        assertThat(find("{\"a\":{\"b_c\":4}}", "a_b_c").text()).isEqualTo("4");
    }

    @Test
    void anArrayIsALeafWithoutText() throws IOException {
        assertThat(find("{\"tags\":[\"x\",{\"y\":1}],\"tags_y\":2}", "tags")).isEqualTo(new FlattenedLeaf(JsonToken.START_ARRAY, null));
        assertThat(find("{\"tags\":[{\"y\":1}],\"tags_y\":2}", "tags_y").text()).as("not inside an array").isEqualTo("2");
    }

    @Test
    void notAnObjectHasNoLeaf() throws IOException {
        assertThat(find("[1,2]", "a")).isNull();
        assertThat(find("\"a\"", "a")).isNull();
    }

    @Test
    void aLeafBeforeTheBytesStopBeingJsonIsFoundAndNoneAfter() {
        byte[] broken = "{\"a\":1,\"b\":{\"c\":2},oops\"d\":3}".getBytes(StandardCharsets.UTF_8);
        assertThat(FlattenedLeaf.find(broken, "b_c").text()).isEqualTo("2");
        assertThat(FlattenedLeaf.find(broken, "d")).isNull();
        assertThat(FlattenedLeaf.findAll(broken, "d", "a", "b_c")).containsExactly(null,
                new FlattenedLeaf(JsonToken.VALUE_NUMBER_INT, "1"), new FlattenedLeaf(JsonToken.VALUE_NUMBER_INT, "2"));
    }

    /** Random nested events, every name they flatten to: the same leaf as flattening the whole tree. */
    @Test
    void agreesWithFlatteningTheWholeEvent() throws IOException {
        Random random = new Random(42);
        String[] keys = {"a", "b", "a_b", "b_a", "", "_", "a_"};
        for (int i = 0; i < 2_000; i++) {
            String json = object(random, keys, 0);
            Map<String, FlattenedLeaf> expected = new LinkedHashMap<>();
            flatten(JSON.readTree(json), "", expected);
            String[] names = {"a", "a_b", "a_b_a", "b_a_b", "a__b", "_", "a_a_a", "b"};
            for (String name : names) {
                assertThat(find(json, name)).as(name + " in " + json).isEqualTo(expected.get(name));
            }
            int from = random.nextInt(names.length);
            String[] some = Arrays.copyOfRange(names, from, from + 1 + random.nextInt(names.length - from));
            assertThat(FlattenedLeaf.findAll(json.getBytes(StandardCharsets.UTF_8), some)).as(Arrays.toString(some) + " in " + json)
                    .containsExactly(Arrays.stream(some).map(expected::get).toArray(FlattenedLeaf[]::new));
        }
    }

    private static FlattenedLeaf find(String json, String name) throws IOException {
        return FlattenedLeaf.find(json.getBytes(StandardCharsets.UTF_8), name);
    }

    private static String object(Random random, String[] keys, int depth) {
        StringBuilder json = new StringBuilder("{");
        List<String> distinct = new ArrayList<>(List.of(keys)); // a key once per object, as JSON means it
        Collections.shuffle(distinct, random);
        int members = random.nextInt(4);
        for (int m = 0; m < members; m++) {
            json.append(m == 0 ? "" : ",").append('"').append(distinct.get(m)).append("\":");
            int kind = random.nextInt(depth < 3 ? 5 : 3);
            json.append(switch (kind) {
                case 0 -> String.valueOf(random.nextInt(100));
                case 1 -> "\"s" + random.nextInt(100) + "\"";
                case 2 -> "[" + random.nextInt(9) + "]";
                default -> object(random, keys, depth + 1);
            });
        }
        return json.append('}').toString();
    }

    /** Every leaf's flattened name, the first in document order kept. */
    private static void flatten(JsonNode node, String prefix, Map<String, FlattenedLeaf> leaves) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(value, name + "_", leaves);
            } else if (value.isArray()) {
                leaves.putIfAbsent(name, new FlattenedLeaf(JsonToken.START_ARRAY, null));
            } else {
                leaves.putIfAbsent(name, new FlattenedLeaf(value.isNumber() ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_STRING,
                        value.asText()));
            }
        }
    }
}
