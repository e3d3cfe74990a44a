package io.tributary.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.devstack.registry.SchemaRegistry;
import io.tributary.schemas.registry.CompatibilityLevel;
import io.tributary.schemas.registry.RestSchemaRegistryClient;
import io.tributary.schemas.registry.SchemaRegistryClient;
import io.tributary.schemas.registry.SchemaRegistryException;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DevStackExtension.class)
class SchemaRegistryIT {
    private static final Schema V1 = SchemaBuilder.record("Order").namespace("io.tributary.test").fields()
            .requiredLong("id").requiredString("status").endRecord();
    private static final Schema V2_OPTIONAL = SchemaBuilder.record("Order").namespace("io.tributary.test").fields()
            .requiredLong("id").requiredString("status").optionalString("note").endRecord();
    private static final Schema V3_REQUIRED = SchemaBuilder.record("Order").namespace("io.tributary.test").fields()
            .requiredLong("id").requiredString("status").optionalString("note").requiredString("country").endRecord();

    @Test
    void registersFetchesByIdAndRejectsAnIncompatibleChangeWith409(DevStack stack) {
        SchemaRegistryClient registry = new RestSchemaRegistryClient(stack.config().registryUrl());
        String subject = DevStack.uniqueName("orders") + "-value";

        int id1 = registry.register(subject, V1);
        assertThat(new RestSchemaRegistryClient(stack.config().registryUrl()).schemaById(id1)).isEqualTo(V1);
        assertThat(new RestSchemaRegistryClient(stack.config().registryUrl()).register(subject, V1))
                .as("registering the same schema again returns the same id").isEqualTo(id1);

        int id2 = registry.register(subject, V2_OPTIONAL);
        assertThat(id2).isNotEqualTo(id1);
        assertThat(registry.versions(subject)).containsExactly(1, 2);
        assertThat(registry.latest(subject).schema()).isEqualTo(V2_OPTIONAL);
        assertThat(registry.compatibility(subject)).isEqualTo(CompatibilityLevel.BACKWARD);

        assertThat(registry.isCompatible(subject, V3_REQUIRED)).isFalse();
        assertThatThrownBy(() -> registry.register(subject, V3_REQUIRED))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
                    assertThat(e.getMessage()).contains("country");
                });

        registry.setCompatibility(subject, CompatibilityLevel.NONE);
        assertThat(registry.register(subject, V3_REQUIRED)).isGreaterThan(id2);
    }

    @Test
    void answersWithConfluentErrorCodes(DevStack stack) throws Exception {
        SchemaRegistryClient registry = new RestSchemaRegistryClient(stack.config().registryUrl());
        String missing = DevStack.uniqueName("missing");
        assertThatThrownBy(() -> registry.latest(missing)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
        assertThatThrownBy(() -> registry.schemaById(987_654)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));

        HttpResponse<String> invalid = post(stack, "/subjects/" + missing + "/versions", "{\"schema\":\"{\\\"type\\\":\\\"nope\\\"}\"}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.body()).contains("\"error_code\":42201");

        String subject = DevStack.uniqueName("lookup");
        registry.register(subject, V1);
        HttpResponse<String> notUnderSubject = post(stack, "/subjects/" + subject,
                "{\"schema\":" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(V2_OPTIONAL.toString()) + "}");
        assertThat(notUnderSubject.statusCode()).isEqualTo(404);
        assertThat(notUnderSubject.body()).contains("\"error_code\":40403");
    }

    @Test
    void deletesSubjectsAndKeepsIdsAcrossARestart(DevStack stack) {
        SchemaRegistryClient registry = new RestSchemaRegistryClient(stack.config().registryUrl());
        String kept = DevStack.uniqueName("kept");
        String dropped = DevStack.uniqueName("dropped");
        int id = registry.register(kept, V1);
        registry.register(dropped, V2_OPTIONAL);
        registry.setCompatibility(kept, CompatibilityLevel.FULL);
        assertThat(registry.deleteSubject(dropped)).containsExactly(1);
        assertThat(registry.subjects()).contains(kept).doesNotContain(dropped);

        stack.stack().restart(SchemaRegistry.NAME);

        SchemaRegistryClient fresh = new RestSchemaRegistryClient(stack.config().registryUrl());
        assertThat(fresh.schemaById(id)).isEqualTo(V1);
        assertThat(fresh.latest(kept).id()).isEqualTo(id);
        assertThat(fresh.compatibility(kept)).isEqualTo(CompatibilityLevel.FULL);
        assertThat(fresh.subjects()).contains(kept).doesNotContain(dropped);
    }

    private static HttpResponse<String> post(DevStack stack, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.config().registryUrl() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
