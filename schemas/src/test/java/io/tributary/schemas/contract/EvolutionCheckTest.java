package io.tributary.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvolutionCheckTest {
    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }

    private static final String V1 = """
            {"type":"record","name":"T","fields":[
              {"name":"id","type":"long","doc":"id"},
              {"name":"name","type":["null","string"],"default":null,"doc":"name"}]}""";

    @Test
    void shippedContractsPassTheCheck() throws Exception {
        assertThat(EvolutionCheck.check(Path.of("src/main/avro"))).isEmpty();
        for (String table : Contracts.TABLES) {
            assertThat(Contracts.schema(table).getFields()).allSatisfy(f -> assertThat(f.doc()).isNotBlank());
        }
    }

    @Test
    void addingAnOptionalFieldIsAllowed() {
        Schema v2 = parse(V1.replace("]}", ",{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"n\"}]}"));
        assertThat(EvolutionCheck.check("t", v2, List.of(parse(V1)))).isEmpty();
    }

    @Test
    void addingARequiredFieldNamesTheFieldAndTheRule() {
        Schema v2 = parse(V1.replace("]}", ",{\"name\":\"country\",\"type\":\"string\",\"doc\":\"c\"}]}"));
        assertThat(EvolutionCheck.check("t", v2, List.of(parse(V1)))).singleElement().asString()
                .contains("t: breaks rule BACKWARD against released v1")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("country");
    }

    @Test
    void changingATypeIsCaught() {
        Schema v2 = parse(V1.replace("{\"name\":\"id\",\"type\":\"long\"", "{\"name\":\"id\",\"type\":\"int\""));
        assertThat(EvolutionCheck.check("t", v2, List.of(parse(V1)))).singleElement().asString()
                .contains("TYPE_MISMATCH").contains("/fields/0/type");
    }

    @Test
    void missingDocsAndMissingReleasesAreReported(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("t.avsc"), V1.replace(",\"doc\":\"name\"", ""));
        assertThat(EvolutionCheck.check(dir)).containsExactlyInAnyOrder(
                "t: field 'name' has no doc string",
                "t: no released version under released/t/ (copy the first version there as v1.avsc)");
    }

    @Test
    void aDocLongerThanAnAthenaColumnCommentIsReported() {
        Schema v2 = parse(V1.replace("\"doc\":\"name\"", "\"doc\":\"" + "n".repeat(256) + "\""));
        assertThat(EvolutionCheck.check("t", v2, List.of(parse(V1)))).singleElement().asString()
                .contains("field 'name'").contains("256 characters").contains("255");
    }
}
