package io.tributary.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;

/**
 * Checks a candidate schema against earlier versions with Avro's own {@link SchemaCompatibility}, the
 * same rules the Confluent Schema Registry applies. Used by the local registry and by the build's
 * contract-evolution check, so both reject exactly the same changes.
 */
public final class SchemaCompatibilityChecker {

    private SchemaCompatibilityChecker() {
    }

    /**
     * Returns the reasons the candidate is incompatible; an empty list means compatible.
     *
     * @param previous earlier versions, oldest first
     */
    public static List<String> incompatibilities(CompatibilityLevel level, Schema candidate, List<Schema> previous) {
        List<String> problems = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
            return problems;
        }
        List<Schema> against = level.transitive ? previous : List.of(previous.get(previous.size() - 1));
        for (Schema old : against) {
            if (level.newReadsOld) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, old).getResult(),
                        "the new schema cannot read data written with an earlier version", problems);
            }
            if (level.oldReadsNew) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(old, candidate).getResult(),
                        "an earlier version cannot read data written with the new schema", problems);
            }
        }
        return problems;
    }

    private static void describe(SchemaCompatibilityResult result, String direction, List<String> problems) {
        for (Incompatibility i : result.getIncompatibilities()) {
            problems.add(direction + ": " + i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")");
        }
    }
}
