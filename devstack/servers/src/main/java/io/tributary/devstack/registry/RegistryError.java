package io.tributary.devstack.registry;

import io.tributary.schemas.registry.SchemaRegistryException;

/** An error the registry answers with: HTTP status plus the Confluent error code and message. */
final class RegistryError extends RuntimeException {
    final int httpStatus;
    final int errorCode;

    private RegistryError(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    static RegistryError subjectNotFound(String subject) {
        return new RegistryError(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    static RegistryError versionNotFound(String subject, String version) {
        return new RegistryError(404, SchemaRegistryException.VERSION_NOT_FOUND,
                "Version " + version + " of subject '" + subject + "' not found.");
    }

    static RegistryError schemaNotFound(String what) {
        return new RegistryError(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + what + " not found.");
    }

    static RegistryError compatibilityNotConfigured(String subject) {
        return new RegistryError(404, SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                "Subject '" + subject + "' does not have subject-level compatibility configured.");
    }

    static RegistryError incompatible(String details) {
        return new RegistryError(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                "Schema being registered is incompatible with an earlier schema for subject: " + details);
    }

    static RegistryError invalidSchema(String details) {
        return new RegistryError(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + details);
    }

    static RegistryError invalidVersion(String version) {
        return new RegistryError(422, SchemaRegistryException.INVALID_VERSION,
                "The specified version '" + version + "' is not a valid version id. "
                        + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryError invalidCompatibility(String message) {
        return new RegistryError(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL, message);
    }

    static RegistryError badRequest(String message) {
        return new RegistryError(400, 400, message);
    }

    static RegistryError notFound(String path) {
        return new RegistryError(404, 404, "HTTP 404 Not Found: " + path);
    }
}
