package io.tributary.streams.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.streams.dlq.RecordFailure;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Debezium change event as the Connect JsonConverter writes it with schemas enabled
 * ({@code {"schema": ..., "payload": {"before", "after", "source", "op", ...}}}). The MySQL and
 * MariaDB connectors emit the same envelope.
 *
 * @param table    source table (payload.source.table)
 * @param op       c, u, d or r
 * @param row      the after image, or the before image for deletes
 * @param columns  the row's Connect field schemas by column name, in table order
 * @param sourceTs commit time in the source database (payload.source.ts_ms)
 * @param position where the change is in the binlog (payload.source file, pos, row); null when the
 *                 connector gives none
 * @param identity what the change did (operation, before and after image) as a short hash: a change
 *                 Debezium sends again has the same identity, another change of the row has another
 */
public record ChangeEvent(String table, String op, JsonNode row, Map<String, JsonNode> columns, long sourceTs,
        SourcePosition position, String identity) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.Set<String> OPS = java.util.Set.of("c", "u", "d", "r");

    public boolean isDelete() {
        return "d".equals(op);
    }

    /** A snapshot read (initial or incremental snapshot), not a change that happened. */
    public boolean isSnapshotRead() {
        return "r".equals(op);
    }

    public static ChangeEvent parse(byte[] value) {
        JsonNode root = RecordFailure.readJson(JSON, value, RecordFailure.CDC_PARSE);
        JsonNode schema = root.get("schema");
        JsonNode payload = root.get("payload");
        if (schema == null || payload == null || !payload.isObject()) {
            throw new RecordFailure(RecordFailure.CDC_PARSE, "not a Debezium change event with schema: expected "
                    + "{\"schema\":...,\"payload\":...} (set value.converter.schemas.enable=true on the source connector)");
        }
        String op = payload.path("op").asText("");
        if (!OPS.contains(op)) {
            throw new RecordFailure(RecordFailure.CDC_PARSE, "unsupported Debezium op '" + op + "' (expected c, u, d or r)");
        }
        String image = "d".equals(op) ? "before" : "after";
        JsonNode row = payload.get(image);
        if (row == null || !row.isObject()) {
            throw new RecordFailure(RecordFailure.CDC_PARSE, "op " + op + " without a '" + image + "' row image");
        }
        JsonNode source = payload.path("source");
        if (!source.path("ts_ms").canConvertToLong() || source.path("table").asText("").isEmpty()) {
            throw new RecordFailure(RecordFailure.CDC_PARSE, "payload.source lacks ts_ms or table");
        }
        return new ChangeEvent(source.get("table").asText(), op, row, columns(schema, image), source.get("ts_ms").asLong(),
                SourcePosition.of(source), identity(op, payload));
    }

    /** The first 64 bits of the SHA-256 of the operation and both images, in hex. */
    private static String identity(String op, JsonNode payload) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(op.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(payload.path("before").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(payload.path("after").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static Map<String, JsonNode> columns(JsonNode envelopeSchema, String image) {
        for (JsonNode f : envelopeSchema.path("fields")) {
            if (image.equals(f.path("field").asText())) {
                Map<String, JsonNode> out = new LinkedHashMap<>();
                f.path("fields").forEach(c -> out.put(c.path("field").asText(), c));
                return out;
            }
        }
        throw new RecordFailure(RecordFailure.CDC_PARSE, "the envelope schema has no '" + image + "' field");
    }

    /**
     * The primary key of a Debezium key record, or null for a record without one.
     *
     * @param text     the key columns' values joined by |, the lake topic's record key
     * @param identity the key's JSON payload, which tells apart keys that the text form joins alike
     */
    public record Key(String text, String identity) {
        public static Key of(byte[] key) {
            if (key == null) {
                return null;
            }
            try {
                JsonNode root = JSON.readTree(key);
                JsonNode payload = root.has("payload") ? root.get("payload") : root;
                if (payload == null || payload.isNull()) {
                    return null;
                }
                if (!payload.isObject()) {
                    return new Key(payload.asText(), payload.toString());
                }
                StringBuilder out = new StringBuilder();
                payload.fields().forEachRemaining(e -> out.append(out.length() == 0 ? "" : "|").append(e.getValue().asText()));
                return new Key(out.toString(), payload.toString());
            } catch (IOException e) {
                throw new RecordFailure(RecordFailure.CDC_PARSE, "the record key is " + (e instanceof com.fasterxml.jackson.core
                        .JsonProcessingException json ? io.tributary.streams.dlq.SafeErrorText.invalidJson(json) : "unreadable"), e);
            }
        }
    }
}
