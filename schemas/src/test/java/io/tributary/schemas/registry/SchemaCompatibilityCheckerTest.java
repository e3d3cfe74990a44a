package io.tributary.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SchemaCompatibilityCheckerTest {
    private static final Schema V1 = SchemaBuilder.record("Event").fields()
            .requiredString("id").endRecord();
    private static final Schema WITH_OPTIONAL = SchemaBuilder.record("Event").fields()
            .requiredString("id").optionalString("note").endRecord();
    private static final Schema WITH_REQUIRED = SchemaBuilder.record("Event").fields()
            .requiredString("id").requiredString("country").endRecord();
    private static final Schema ID_AS_INT = SchemaBuilder.record("Event").fields()
            .requiredInt("id").endRecord();

    @ParameterizedTest(name = "{0}: optional field added -> compatible={1}, required added -> {2}")
    @CsvSource({
        "NONE,true,true",
        "BACKWARD,true,false",
        "FORWARD,true,true",
        "FULL,true,false",
    })
    void appliesTheDirectionsOfEachLevel(CompatibilityLevel level, boolean optionalOk, boolean requiredOk) {
        assertThat(SchemaCompatibilityChecker.incompatibilities(level, WITH_OPTIONAL, List.of(V1)).isEmpty())
                .isEqualTo(optionalOk);
        assertThat(SchemaCompatibilityChecker.incompatibilities(level, WITH_REQUIRED, List.of(V1)).isEmpty())
                .isEqualTo(requiredOk);
    }

    @Test
    void namesTheFieldAndTheRuleBroken() {
        List<String> problems = SchemaCompatibilityChecker.incompatibilities(
                CompatibilityLevel.BACKWARD, WITH_REQUIRED, List.of(V1));
        assertThat(problems).singleElement().asString()
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("country");
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersion() {
        // ID_AS_INT -> V1 is compatible with the latest only when the latest is ID_AS_INT itself.
        List<Schema> history = List.of(V1, ID_AS_INT);
        assertThat(SchemaCompatibilityChecker.incompatibilities(CompatibilityLevel.BACKWARD, ID_AS_INT, history))
                .isEmpty();
        assertThat(SchemaCompatibilityChecker.incompatibilities(
                CompatibilityLevel.BACKWARD_TRANSITIVE, ID_AS_INT, history)).isNotEmpty();
    }

    @Test
    void parsesLevelsCaseInsensitivelyAndRejectsUnknownOnes() {
        assertThat(CompatibilityLevel.parse("full_transitive")).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
        assertThatThrownBy(() -> CompatibilityLevel.parse("SIDEWAYS"))
                .hasMessageContaining("SIDEWAYS").hasMessageContaining("BACKWARD");
    }
}
