package io.tributary.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * A registry held in memory with the same ids, versions, compatibility rules and error codes as the
 * REST registries, for topology tests and benchmarks where no server runs. Reached through the URL
 * {@code mock://<scope>} (as with Confluent's serdes); one instance per scope.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
    private final Map<String, List<RegisteredSchema>> subjects = new TreeMap<>();
    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<Schema, Integer> idBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> levels = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<RegisteredSchema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        for (RegisteredSchema v : versions) {
            if (v.schema().equals(schema)) {
                return v.id();
            }
        }
        List<String> problems = SchemaCompatibilityChecker.incompatibilities(compatibility(subject), schema,
                versions.stream().map(RegisteredSchema::schema).toList());
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject " + subject + ": "
                            + String.join("; ", problems));
        }
        int id = idBySchema.computeIfAbsent(schema, s -> byId.size() + 1);
        byId.put(id, schema);
        versions.add(new RegisteredSchema(subject, versions.size() + 1, id, schema));
        return id;
    }

    @Override
    public synchronized int lookupId(String subject, Schema schema) {
        return versionsOf(subject).stream().filter(v -> v.schema().equals(schema)).findFirst()
                .orElseThrow(() -> new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                        "Schema not found under subject " + subject))
                .id();
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<RegisteredSchema> versions = versionsOf(subject);
        return versions.get(versions.size() - 1);
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        List<RegisteredSchema> versions = subjects.getOrDefault(subject, List.of());
        return SchemaCompatibilityChecker.incompatibilities(compatibility(subject), schema,
                versions.stream().map(RegisteredSchema::schema).toList()).isEmpty();
    }

    @Override
    public synchronized List<String> subjects() {
        return subjects.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        return versionsOf(subject).stream().map(RegisteredSchema::version).toList();
    }

    @Override
    public synchronized List<Integer> deleteSubject(String subject) {
        List<Integer> versions = versions(subject);
        subjects.remove(subject);
        return versions;
    }

    @Override
    public synchronized CompatibilityLevel compatibility(String subject) {
        return levels.getOrDefault(subject, CompatibilityLevel.BACKWARD);
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        levels.put(subject, level);
    }

    private List<RegisteredSchema> versionsOf(String subject) {
        List<RegisteredSchema> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return versions;
    }
}
