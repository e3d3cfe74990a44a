package io.tributary.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds Debezium change events as the Connect JsonConverter writes them (schemas enabled). */
public final class DebeziumJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A column: Connect type, optional logical name and parameters. */
    public record Column(String name, String type, String logical, Map<String, String> params) {
        public static Column of(String name, String type) {
            return new Column(name, type, null, Map.of());
        }

        public static Column decimal(String name, int precision, int scale) {
            return new Column(name, "bytes", "org.apache.kafka.connect.data.Decimal",
                    Map.of("scale", String.valueOf(scale), "connect.decimal.precision", String.valueOf(precision)));
        }

        public static Column timestamp(String name) {
            return new Column(name, "int64", "io.debezium.time.Timestamp", Map.of());
        }
    }

    public static final List<Column> MASTERS = List.of(Column.of("id", "int64"), Column.of("code", "string"),
            Column.of("display_name", "string"), Column.of("category", "string"));
    public static final List<Column> TRANSACTIONS = List.of(Column.of("id", "int64"), Column.of("user_id", "string"),
            Column.of("source_type_id", "int64"), Column.decimal("amount", 12, 2), Column.of("currency", "string"),
            Column.of("status", "string"), Column.timestamp("created_at"));

    private DebeziumJson() {
    }

    /** Encodes a Decimal column value the way decimal.handling.mode=precise does. */
    public static String decimal(String value, int scale) {
        return Base64.getEncoder().encodeToString(new BigDecimal(value).setScale(scale).unscaledValue().toByteArray());
    }

    /** Binlog positions of generated changes: each new change comes after every earlier one, as in a binlog. */
    private static final java.util.concurrent.atomic.AtomicLong NEXT_POSITION = new java.util.concurrent.atomic.AtomicLong(4);

    /** A change at the next binlog position. */
    public static byte[] change(String table, String op, List<Column> columns, Map<String, Object> row, long sourceTsMs) {
        return change(table, op, columns, row, sourceTsMs, new Position(1, NEXT_POSITION.addAndGet(100), 0));
    }

    /** Debezium's source.file (index), pos and row. */
    public record Position(long file, long pos, long row) {
    }

    public static byte[] change(String table, String op, List<Column> columns, Map<String, Object> row, long sourceTsMs,
            Position position) {
        ObjectNode rowSchema = JSON.createObjectNode().put("type", "struct").put("optional", true)
                .put("name", "tributary.shop." + table + ".Value");
        ArrayNode fields = rowSchema.putArray("fields");
        for (Column c : columns) {
            ObjectNode f = fields.addObject().put("type", c.type()).put("optional", !c.name().equals("id")).put("field", c.name());
            if (c.logical() != null) {
                f.put("name", c.logical());
                ObjectNode params = f.putObject("parameters");
                c.params().forEach(params::put);
            }
        }
        ObjectNode schema = JSON.createObjectNode().put("type", "struct").put("name", "tributary.shop." + table + ".Envelope");
        ArrayNode envelope = schema.putArray("fields");
        envelope.add(rowSchema.deepCopy().put("field", "before"));
        envelope.add(rowSchema.deepCopy().put("field", "after"));
        envelope.addObject().put("type", "struct").put("field", "source");
        envelope.addObject().put("type", "string").put("field", "op");
        ObjectNode payload = JSON.createObjectNode();
        ObjectNode image = JSON.valueToTree(row);
        payload.set("before", op.equals("d") || op.equals("u") ? image : null);
        payload.set("after", op.equals("d") ? null : image);
        payload.putObject("source").put("connector", "mariadb").put("db", "shop").put("table", table).put("ts_ms", sourceTsMs)
                .put("snapshot", op.equals("r") ? "true" : "false")
                .put("file", String.format("mariadb-bin.%06d", position.file())).put("pos", position.pos()).put("row", position.row());
        payload.put("op", op).put("ts_ms", sourceTsMs + 5);
        ObjectNode root = JSON.createObjectNode();
        root.set("schema", schema);
        root.set("payload", payload);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] key(long id) {
        return ("{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"int64\",\"optional\":false,\"field\":\"id\"}]},"
                + "\"payload\":{\"id\":" + id + "}}").getBytes(StandardCharsets.UTF_8);
    }

    public static Map<String, Object> master(long id, String code, String name, String category) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("code", code);
        row.put("display_name", name);
        row.put("category", category);
        return row;
    }
}
