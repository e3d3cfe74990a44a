package io.tributary.devstack.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tributary.schemas.registry.CompatibilityLevel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subset of the Confluent Schema Registry REST API that serializers, converters and people use,
 * mapped onto {@link SchemaStore}. Responses and error bodies follow Confluent's documented shapes.
 */
final class RegistryHttpApi implements HttpHandler {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaStore store;

    RegistryHttpApi(SchemaStore store) {
        this.store = store;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        int status = 200;
        Object body;
        try {
            body = route(exchange.getRequestMethod(), segments(exchange), exchange);
        } catch (RegistryError e) {
            status = e.httpStatus;
            body = JSON.createObjectNode().put("error_code", e.errorCode).put("message", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            status = 500;
            body = JSON.createObjectNode().put("error_code", 50001).put("message", "Error in the backend data store: " + e.getMessage());
        }
        byte[] bytes = body instanceof String raw ? raw.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Object route(String method, List<String> p, HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
        int n = p.size();
        String root = n == 0 ? "" : p.get(0);
        switch (method + " " + root + "/" + n) {
            case "GET /0":
                return JSON.createObjectNode();
            case "GET schemas/2":
                return p.get(1).equals("types") ? List.of("AVRO") : fail(ex);
            case "GET schemas/3":
                return p.get(1).equals("ids") ? JSON.createObjectNode().put("schema", store.schemaById(id(p.get(2)))) : fail(ex);
            case "GET schemas/4":
                return p.get(1).equals("ids") && p.get(3).equals("subjects") ? store.subjectsWithIds(id(p.get(2))) : fail(ex);
            case "GET subjects/1":
                return store.subjects();
            case "POST subjects/2":
                return versionJson(store.lookup(p.get(1), schemaText(ex)));
            case "DELETE subjects/2":
                return store.deleteSubject(p.get(1), query.contains("permanent=true"));
            case "GET subjects/3":
                return p.get(2).equals("versions") ? store.versions(p.get(1)) : fail(ex);
            case "POST subjects/3":
                if (!p.get(2).equals("versions")) {
                    return fail(ex);
                }
                return JSON.createObjectNode().put("id", store.register(p.get(1), schemaText(ex)).id());
            case "GET subjects/4":
                return p.get(2).equals("versions") ? versionJson(store.version(p.get(1), p.get(3))) : fail(ex);
            case "DELETE subjects/4":
                return p.get(2).equals("versions") ? store.deleteVersion(p.get(1), p.get(3)) : fail(ex);
            case "GET subjects/5":
                return p.get(2).equals("versions") && p.get(4).equals("schema")
                        ? store.version(p.get(1), p.get(3)).schema() : fail(ex);
            case "GET config/1":
                return levelJson("compatibilityLevel", store.globalLevel());
            case "PUT config/1":
                return setLevel(null, ex);
            case "GET config/2":
                return levelJson("compatibilityLevel", store.subjectLevel(p.get(1))
                        .or(() -> query.contains("defaultToGlobal=true")
                                ? java.util.Optional.of(store.globalLevel()) : java.util.Optional.empty())
                        .orElseThrow(() -> RegistryError.compatibilityNotConfigured(p.get(1))));
            case "PUT config/2":
                return setLevel(p.get(1), ex);
            case "DELETE config/2":
                return levelJson("compatibilityLevel", store.deleteSubjectLevel(p.get(1)));
            case "POST compatibility/5":
                if (!p.get(1).equals("subjects") || !p.get(3).equals("versions")) {
                    return fail(ex);
                }
                List<String> problems = store.testCompatibility(p.get(2), p.get(4), schemaText(ex));
                ObjectNode result = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
                if (query.contains("verbose=true")) {
                    result.set("messages", JSON.valueToTree(problems));
                }
                return result;
            default:
                return fail(ex);
        }
    }

    private static Object fail(HttpExchange ex) {
        throw RegistryError.notFound(ex.getRequestURI().getPath());
    }

    private Object setLevel(String subject, HttpExchange ex) throws IOException {
        JsonNode body = body(ex);
        CompatibilityLevel level;
        try {
            level = CompatibilityLevel.parse(body.path("compatibility").asText(null));
        } catch (IllegalArgumentException e) {
            throw RegistryError.invalidCompatibility(e.getMessage());
        }
        store.setLevel(subject, level);
        return levelJson("compatibility", level);
    }

    private static ObjectNode levelJson(String field, CompatibilityLevel level) {
        return JSON.createObjectNode().put(field, level.name());
    }

    private static ObjectNode versionJson(SchemaStore.SchemaVersion v) {
        return JSON.createObjectNode().put("subject", v.subject()).put("version", v.version()).put("id", v.id())
                .put("schema", v.schema());
    }

    private static String schemaText(HttpExchange ex) throws IOException {
        JsonNode body = body(ex);
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw RegistryError.invalidSchema("schemaType " + type + " is not supported by the local registry; only AVRO is");
        }
        if (body.path("references").size() > 0) {
            throw RegistryError.invalidSchema("schema references are not supported by the local registry");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw RegistryError.invalidSchema("the request body needs a \"schema\" string field");
        }
        return schema.asText();
    }

    private static JsonNode body(HttpExchange ex) throws IOException {
        byte[] bytes = ex.getRequestBody().readAllBytes();
        try {
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            throw RegistryError.badRequest("The request body is not valid JSON: " + e.getMessage());
        }
    }

    private static int id(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RegistryError.schemaNotFound("with id " + text);
        }
    }

    private static List<String> segments(HttpExchange ex) {
        return Arrays.stream(ex.getRequestURI().getRawPath().split("/")).filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
    }
}
