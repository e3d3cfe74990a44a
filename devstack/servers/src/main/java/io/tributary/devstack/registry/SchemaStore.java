package io.tributary.devstack.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.schemas.registry.CompatibilityLevel;
import io.tributary.schemas.registry.SchemaCompatibilityChecker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * The registry's state: subjects with their versions, global schema ids, and compatibility levels.
 * Every change is first written to the {@link KafkaLog} and then applied, and start-up replays the
 * log, so ids and versions survive a restart. One instance is the only writer (as Confluent's
 * leader is), so a monitor is enough for consistency.
 */
final class SchemaStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One version of a subject. Soft-deleted versions keep their id resolvable. */
    record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) {
    }

    private final KafkaLog log;
    private final Map<String, NavigableMap<Integer, SchemaVersion>> subjects = new HashMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;

    SchemaStore(KafkaLog log) {
        this.log = log;
        log.replay(this::apply);
    }

    synchronized SchemaVersion register(String subject, String schemaText) {
        String canonical = parse(schemaText).toString();
        List<SchemaVersion> live = live(subject);
        for (SchemaVersion v : live) {
            if (v.schema().equals(canonical)) {
                return v;
            }
        }
        List<String> problems = SchemaCompatibilityChecker.incompatibilities(level(subject), parse(canonical),
                live.stream().map(v -> parse(v.schema())).toList());
        if (!problems.isEmpty()) {
            throw RegistryError.incompatible(String.join("; ", problems));
        }
        int id = idsBySchema.getOrDefault(canonical, schemasById.keySet().stream().mapToInt(i -> i).max().orElse(0) + 1);
        NavigableMap<Integer, SchemaVersion> versions = subjects.get(subject);
        int version = versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
        SchemaVersion created = new SchemaVersion(subject, version, id, canonical, false);
        write(schemaKey(subject, version), versionValue(created));
        return created;
    }

    synchronized SchemaVersion lookup(String subject, String schemaText) {
        String canonical = parse(schemaText).toString();
        List<SchemaVersion> live = live(subject);
        if (live.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return live.stream().filter(v -> v.schema().equals(canonical)).findFirst()
                .orElseThrow(() -> RegistryError.schemaNotFound("under subject '" + subject + "'"));
    }

    synchronized String schemaById(int id) {
        String schema = schemasById.get(id);
        if (schema == null) {
            throw RegistryError.schemaNotFound("with id " + id);
        }
        return schema;
    }

    synchronized List<String> subjectsWithIds(int id) {
        schemaById(id);
        return subjects.values().stream().flatMap(m -> m.values().stream())
                .filter(v -> v.id() == id && !v.deleted()).map(SchemaVersion::subject).distinct().sorted().toList();
    }

    synchronized List<String> subjects() {
        return new ArrayList<>(new TreeSet<>(subjects.keySet().stream().filter(s -> !live(s).isEmpty()).toList()));
    }

    synchronized List<Integer> versions(String subject) {
        List<SchemaVersion> live = live(subject);
        if (live.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return live.stream().map(SchemaVersion::version).toList();
    }

    /** A version by number or "latest". */
    synchronized SchemaVersion version(String subject, String version) {
        List<SchemaVersion> live = live(subject);
        if (live.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        if ("latest".equals(version) || "-1".equals(version)) {
            return live.get(live.size() - 1);
        }
        int number = parseVersion(version);
        return live.stream().filter(v -> v.version() == number).findFirst()
                .orElseThrow(() -> RegistryError.versionNotFound(subject, version));
    }

    /** Soft delete (ids stay resolvable), or permanent delete of what was soft-deleted before. */
    synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        NavigableMap<Integer, SchemaVersion> all = subjects.getOrDefault(subject, new TreeMap<>());
        List<Integer> affected = new ArrayList<>();
        for (SchemaVersion v : all.values()) {
            if (permanent && v.deleted()) {
                write(schemaKey(subject, v.version()), null);
                affected.add(v.version());
            } else if (!permanent && !v.deleted()) {
                write(schemaKey(subject, v.version()), versionValue(
                        new SchemaVersion(subject, v.version(), v.id(), v.schema(), true)));
                affected.add(v.version());
            }
        }
        if (affected.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return affected;
    }

    synchronized int deleteVersion(String subject, String version) {
        SchemaVersion v = version(subject, version);
        write(schemaKey(subject, v.version()), versionValue(
                new SchemaVersion(subject, v.version(), v.id(), v.schema(), true)));
        return v.version();
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    synchronized CompatibilityLevel level(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    /** Sets the global level when subject is null. */
    synchronized void setLevel(String subject, CompatibilityLevel level) {
        write(configKey(subject), JSON.createObjectNode().put("compatibilityLevel", level.name()).toString());
    }

    synchronized CompatibilityLevel deleteSubjectLevel(String subject) {
        CompatibilityLevel previous = subjectLevels.get(subject);
        if (previous == null) {
            throw RegistryError.compatibilityNotConfigured(subject);
        }
        write(configKey(subject), null);
        return previous;
    }

    /** Compatibility of a candidate with one version (or, for transitive levels, all live versions). */
    synchronized List<String> testCompatibility(String subject, String version, String schemaText) {
        Schema candidate = parse(schemaText);
        List<SchemaVersion> live = live(subject);
        if (live.isEmpty()) {
            if ("latest".equals(version)) {
                return List.of();
            }
            throw RegistryError.subjectNotFound(subject);
        }
        CompatibilityLevel level = level(subject);
        SchemaVersion target = version(subject, version);
        List<Schema> against = live.stream().filter(v -> v.version() <= target.version())
                .map(v -> parse(v.schema())).toList();
        return SchemaCompatibilityChecker.incompatibilities(level, candidate, against);
    }

    private List<SchemaVersion> live(String subject) {
        return subjects.getOrDefault(subject, new TreeMap<>()).values().stream().filter(v -> !v.deleted()).toList();
    }

    private void write(String key, String value) {
        log.append(key, value);
        apply(key, value);
    }

    private void apply(String key, String value) {
        JsonNode k = read(key);
        String subject = k.path("subject").isNull() || k.path("subject").isMissingNode() ? null : k.get("subject").asText();
        switch (k.path("keytype").asText()) {
            case "SCHEMA" -> {
                int version = k.get("version").asInt();
                if (value == null) {
                    subjects.getOrDefault(subject, new TreeMap<>()).remove(version);
                    return;
                }
                JsonNode v = read(value);
                SchemaVersion sv = new SchemaVersion(subject, version, v.get("id").asInt(), v.get("schema").asText(),
                        v.path("deleted").asBoolean(false));
                subjects.computeIfAbsent(subject, s -> new TreeMap<>()).put(version, sv);
                schemasById.put(sv.id(), sv.schema());
                idsBySchema.putIfAbsent(sv.schema(), sv.id());
            }
            case "CONFIG" -> {
                CompatibilityLevel level = value == null ? null
                        : CompatibilityLevel.parse(read(value).get("compatibilityLevel").asText());
                if (subject == null) {
                    globalLevel = level == null ? CompatibilityLevel.BACKWARD : level;
                } else if (level == null) {
                    subjectLevels.remove(subject);
                } else {
                    subjectLevels.put(subject, level);
                }
            }
            default -> {
                // Records of a newer format: ignore rather than refuse to start.
            }
        }
    }

    private static String schemaKey(String subject, int version) {
        return JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject).put("version", version).toString();
    }

    private static String configKey(String subject) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG");
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        return key.toString();
    }

    private static String versionValue(SchemaVersion v) {
        return JSON.createObjectNode().put("subject", v.subject()).put("version", v.version()).put("id", v.id())
                .put("schema", v.schema()).put("deleted", v.deleted()).toString();
    }

    static Schema parse(String schemaText) {
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (AvroRuntimeException | NullPointerException e) {
            throw RegistryError.invalidSchema(String.valueOf(e.getMessage()));
        }
    }

    private static int parseVersion(String version) {
        try {
            int v = Integer.parseInt(version);
            if (v < 1) {
                throw RegistryError.invalidVersion(version);
            }
            return v;
        } catch (NumberFormatException e) {
            throw RegistryError.invalidVersion(version);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
