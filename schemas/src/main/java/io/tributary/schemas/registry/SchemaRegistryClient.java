package io.tributary.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The calls Tributary makes to a Confluent-compatible schema registry (Confluent Schema Registry,
 * Apicurio's ccompat API, Karapace, or the devstack's local registry).
 */
public interface SchemaRegistryClient {

    /** Registers the schema under the subject (or finds it there) and returns its global id. */
    int register(String subject, Schema schema);

    /** The id of a schema already registered under the subject (for auto.register.schemas=false). */
    int lookupId(String subject, Schema schema);

    /** The schema with this global id. */
    Schema schemaById(int id);

    /** The latest version of the subject. */
    RegisteredSchema latest(String subject);

    /** Whether the schema could be registered under the subject by its compatibility rules. */
    boolean isCompatible(String subject, Schema schema);

    List<String> subjects();

    List<Integer> versions(String subject);

    /** Soft-deletes the subject and returns the versions it had. */
    List<Integer> deleteSubject(String subject);

    /** The subject's compatibility level, falling back to the global level. */
    CompatibilityLevel compatibility(String subject);

    void setCompatibility(String subject, CompatibilityLevel level);
}
