package io.tributary.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schemas.serde.AvroDeserializer;
import io.tributary.testing.DebeziumJson.Column;
import io.tributary.testing.DebeziumJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Debezium change events become lake changelog rows; the lake schema follows compatible source changes. */
class CdcPipelineTest {
    private static final Instant T = Instant.parse("2025-11-22T05:00:00Z");
    private final PipelineFixture p = new PipelineFixture();

    @AfterEach
    void close() {
        p.close();
    }

    private static Map<String, Object> transaction(long id, String status, String amount) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("user_id", "u-1");
        row.put("source_type_id", 7);
        row.put("amount", DebeziumJson.decimal(amount, 2));
        row.put("currency", "JPY");
        row.put("status", status);
        row.put("created_at", T.toEpochMilli());
        return row;
    }

    private void send(String op, List<Column> columns, Map<String, Object> row, Instant committed) {
        p.transactions.pipeInput(DebeziumJson.key((Long) row.get("id")),
                DebeziumJson.change("transactions", op, columns, row, committed.toEpochMilli()), committed);
    }

    @Test
    void everyOperationBecomesAChangelogRowWithOpSourceTsAndDeleted() {
        send("r", DebeziumJson.TRANSACTIONS, transaction(1, "pending", "100.00"), T);
        send("c", DebeziumJson.TRANSACTIONS, transaction(2, "pending", "2500.50"), T.plusSeconds(1));
        send("u", DebeziumJson.TRANSACTIONS, transaction(2, "paid", "2500.50"), T.plusSeconds(2));
        send("d", DebeziumJson.TRANSACTIONS, transaction(2, "paid", "2500.50"), T.plusSeconds(3));
        p.transactions.pipeInput(new TestRecord<>(DebeziumJson.key(2), null, T.plusSeconds(3))); // tombstone

        List<TestRecord<String, GenericRecord>> rows = p.lakeTransactions.readRecordsToList();
        assertThat(rows).extracting(r -> r.value().get("_op").toString()).containsExactly("r", "c", "u", "d");
        assertThat(rows).extracting(r -> r.value().get("_deleted")).containsExactly(false, false, false, true);
        assertThat(rows).extracting(TestRecord::key).containsExactly("1", "2", "2", "2");
        assertThat(rows).extracting(r -> r.value().get("status").toString()).containsExactly("pending", "pending", "paid", "paid");
        GenericRecord deleted = rows.get(3).value();
        assertThat(deleted.get("_source_ts")).isEqualTo(T.plusSeconds(3).toEpochMilli());
        assertThat(rows.get(3).getRecordTime()).isEqualTo(T.plusSeconds(3));
        assertThat(EventPipelineTest.decimal(deleted, "amount")).isEqualByComparingTo("2500.50");
        assertThat(deleted.get("created_at")).isEqualTo(T.toEpochMilli());
        assertThat(p.metrics.registry().get("tributary.cdc.tombstones").counter().count()).isEqualTo(1);
        assertThat(p.cdcDeadLetters.isEmpty()).isTrue();
    }

    private void send(String op, Map<String, Object> row, Instant committed, DebeziumJson.Position position) {
        p.transactions.pipeInput(DebeziumJson.key((Long) row.get("id")), DebeziumJson.change("transactions", op,
                DebeziumJson.TRANSACTIONS, row, committed.toEpochMilli(), position), committed);
    }

    private double counter(String name) {
        var counter = p.metrics.registry().find(name).tag("table", "transactions").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void changesDebeziumSendsAgainAfterARestartAreDroppedAndCounted() {
        var c1 = new DebeziumJson.Position(3, 900, 0);
        var u1 = new DebeziumJson.Position(3, 1200, 0);
        var c2 = new DebeziumJson.Position(3, 1200, 1); // the second row of the same binlog event
        var u1Again = new DebeziumJson.Position(4, 120, 0); // the next binlog file, same second
        send("c", transaction(1, "pending", "10.00"), T, c1);
        send("u", transaction(1, "paid", "10.00"), T, u1);
        send("c", transaction(2, "pending", "20.00"), T, c2);
        // Debezium restarts from its last flushed offset and sends the last two again, then moves on
        send("u", transaction(1, "paid", "10.00"), T, u1);
        send("c", transaction(2, "pending", "20.00"), T, c2);
        send("u", transaction(1, "refunded", "10.00"), T, u1Again);

        List<GenericRecord> rows = p.lakeTransactions.readValuesToList();
        assertThat(rows).extracting(r -> r.get("id") + " " + r.get("_op") + " " + r.get("status") + " " + r.get("_source_pos"))
                .containsExactly("1 c pending 0000000003-00000000000000000900-0000000000-00000",
                        "1 u paid 0000000003-00000000000000001200-0000000000-00000",
                        "2 c pending 0000000003-00000000000000001200-0000000001-00000",
                        "1 u refunded 0000000004-00000000000000000120-0000000000-00000");
        assertThat(counter("tributary.cdc.duplicates")).isEqualTo(2);
        assertThat(counter("tributary.records.in")).as("in = out + dead-lettered + duplicates")
                .isEqualTo(rows.size() + counter("tributary.records.dead.lettered") + counter("tributary.cdc.duplicates"));
    }

    /**
     * MariaDB gives every event of a transaction the transaction's binlog position: an update and a
     * delete of one row in one transaction arrive with equal file, pos and row. Both are changes, and
     * the delete sorts after the update; sent again, both are dropped.
     */
    @Test
    void changesOfOneRowInOneTransactionShareAPositionAndAreAllApplied() {
        var transaction = new DebeziumJson.Position(5, 4506, 0);
        send("c", transaction(1, "pending", "10.00"), T, new DebeziumJson.Position(5, 4000, 0));
        send("u", transaction(1, "paid", "10.00"), T, transaction);
        send("d", transaction(1, "paid", "10.00"), T, transaction);
        send("u", transaction(1, "paid", "10.00"), T, transaction); // Debezium restarted mid-transaction
        send("d", transaction(1, "paid", "10.00"), T, transaction);

        List<GenericRecord> rows = p.lakeTransactions.readValuesToList();
        assertThat(rows).extracting(r -> r.get("_op") + " " + r.get("_source_pos")).containsExactly(
                "c 0000000005-00000000000000004000-0000000000-00000",
                "u 0000000005-00000000000000004506-0000000000-00000",
                "d 0000000005-00000000000000004506-0000000000-00001");
        assertThat(counter("tributary.cdc.duplicates")).isEqualTo(2);
    }

    @Test
    void snapshotReadsAlwaysReachTheLakeEvenForRowsItHas() {
        send("c", transaction(1, "pending", "10.00"), T, new DebeziumJson.Position(2, 500, 0));
        send("u", transaction(1, "paid", "10.00"), T, new DebeziumJson.Position(2, 700, 0));
        // an incremental snapshot asked for to heal the row, read at a later position
        send("r", transaction(1, "paid", "10.00"), T.plusSeconds(60), new DebeziumJson.Position(2, 900, 0));
        // a snapshot read cannot be told from one asked for again: it flows even at an older position
        send("r", transaction(1, "paid", "10.00"), T.plusSeconds(60), new DebeziumJson.Position(2, 600, 0));
        // and a real change older than the snapshot's position is still a re-send
        send("u", transaction(1, "paid", "10.00"), T, new DebeziumJson.Position(2, 700, 0));

        assertThat(p.lakeTransactions.readValuesToList()).extracting(r -> r.get("_op").toString())
                .containsExactly("c", "u", "r", "r");
        assertThat(counter("tributary.cdc.duplicates")).isEqualTo(1);
    }

    @Test
    void changesWithoutABinlogPositionAreNeverDropped() {
        p.transactions.pipeInput(DebeziumJson.key(1), DebeziumJson.change("transactions", "c", DebeziumJson.TRANSACTIONS,
                transaction(1, "pending", "1.00"), T.toEpochMilli()).clone(), T);
        byte[] withoutPosition = new String(DebeziumJson.change("transactions", "u", DebeziumJson.TRANSACTIONS,
                transaction(1, "paid", "1.00"), T.toEpochMilli()), StandardCharsets.UTF_8)
                .replaceAll("\"file\":\"[^\"]*\",", "").getBytes(StandardCharsets.UTF_8);
        p.transactions.pipeInput(DebeziumJson.key(1), withoutPosition, T);
        p.transactions.pipeInput(DebeziumJson.key(1), withoutPosition, T);

        List<GenericRecord> rows = p.lakeTransactions.readValuesToList();
        assertThat(rows).extracting(r -> r.get("_op").toString()).containsExactly("c", "u", "u");
        assertThat(rows.get(1).get("_source_pos")).isNull();
        assertThat(counter("tributary.cdc.duplicates")).isZero();
    }

    @Test
    void mastersReachTheLakeAsWell() {
        p.sendMaster("c", 3, "店舗", "store", T);
        GenericRecord master = p.lakeMasters.readValue();
        assertThat(master.get("display_name").toString()).isEqualTo("店舗");
        assertThat(master.get("_op").toString()).isEqualTo("c");
    }

    @Test
    void anAddedColumnReachesTheLakeAsANewNullableFieldAndANewSchemaVersion() {
        send("c", DebeziumJson.TRANSACTIONS, transaction(1, "paid", "1.00"), T);
        List<Column> altered = new ArrayList<>(DebeziumJson.TRANSACTIONS);
        altered.add(Column.of("coupon_code", "string"));
        altered.add(Column.decimal("discount", 10, 2));
        Map<String, Object> row = transaction(2, "paid", "9.00");
        row.put("coupon_code", "WINTER");
        row.put("discount", DebeziumJson.decimal("1.50", 2));
        send("c", altered, row, T.plusSeconds(10));
        // a change committed before the ALTER (a replay, or a slow partition): the new columns are null
        send("c", DebeziumJson.TRANSACTIONS, transaction(3, "paid", "2.00"), T.plusSeconds(5));

        List<GenericRecord> rows = p.lakeTransactions.readValuesToList();
        assertThat(rows.get(0).getSchema().getField("coupon_code")).isNull();
        Schema evolved = rows.get(1).getSchema();
        assertThat(evolved.getField("coupon_code").schema().isNullable()).isTrue();
        assertThat(rows.get(1).get("coupon_code").toString()).isEqualTo("WINTER");
        assertThat(EventPipelineTest.decimal(rows.get(1), "discount")).isEqualByComparingTo("1.50");
        assertThat(rows.get(2).getSchema()).isEqualTo(evolved);
        assertThat(rows.get(2).get("coupon_code")).isNull();
        assertThat(p.registry().versions("lake.transactions-value")).containsExactly(1, 2);
        assertThat(p.cdcDeadLetters.isEmpty()).isTrue();
        assertThat(rows).hasSize(3);

        // committed after the column appeared, yet without it: the column was dropped
        send("u", DebeziumJson.TRANSACTIONS, transaction(2, "refunded", "9.00"), T.plusSeconds(30));
        assertThat(EventPipelineTest.headers(p.cdcDeadLetters.readRecord().headers().toArray()).get("tributary.dlq.error.message"))
                .contains("column coupon_code").contains("dropped or renamed");
    }

    @Test
    void aDroppedColumnIsDeadLetteredNamingTheTableAndColumn() {
        send("c", DebeziumJson.TRANSACTIONS, transaction(1, "paid", "1.00"), T);
        List<Column> dropped = DebeziumJson.TRANSACTIONS.stream().filter(c -> !c.name().equals("currency")).toList();
        Map<String, Object> row = transaction(2, "paid", "1.00");
        row.remove("currency");
        send("u", dropped, row, T.plusSeconds(1));

        assertThat(p.lakeTransactions.readValuesToList()).hasSize(1);
        Map<String, String> headers = EventPipelineTest.headers(p.cdcDeadLetters.readRecord().headers().toArray());
        assertThat(headers).containsEntry("tributary.dlq.stage", "cdc-schema")
                .containsEntry("tributary.dlq.source.topic", PipelineFixture.TRANSACTIONS_TOPIC);
        assertThat(headers.get("tributary.dlq.error.message"))
                .contains("table transactions").contains("column currency").contains("dropped or renamed");
    }

    @Test
    void aNarrowedTypeIsIncompatibleAndHaltsUnderTheHaltPolicy() {
        try (PipelineFixture halting = new PipelineFixture(Map.of("cdc.schema.change.policy", "halt"))) {
            List<Column> narrowed = DebeziumJson.TRANSACTIONS.stream()
                    .map(c -> c.name().equals("source_type_id") ? Column.of("source_type_id", "int32") : c).toList();
            assertThatThrownBy(() -> halting.transactions.pipeInput(DebeziumJson.key(1),
                    DebeziumJson.change("transactions", "c", narrowed, transaction(1, "paid", "1.00"), T.toEpochMilli()), T))
                    .hasStackTraceContaining("Halting (cdc.schema.change.policy=halt)")
                    .hasStackTraceContaining("column source_type_id changed type from long to int");
        }
    }

    @Test
    void aTableWithoutAContractStartsFromItsColumnsAndWidensByPromotion() {
        List<Column> narrow = List.of(Column.of("id", "int64"), Column.of("qty", "int32"));
        List<Column> wide = List.of(Column.of("id", "int64"), Column.of("qty", "int64"));
        try (PipelineFixture items = new PipelineFixture(Map.of("cdc.topics", "tributary.shop.items", "enrichment.lookups", ""))) {
            ByteArraySerializer bytes = new ByteArraySerializer();
            var in = items.changesDriver.createInputTopic("tributary.shop.items", bytes, bytes);
            var lake = items.changesDriver.createOutputTopic("lake.items", new StringDeserializer(),
                    new AvroDeserializer(Map.of("schema.registry.url", items.registryUrl)));
            in.pipeInput(DebeziumJson.key(1), DebeziumJson.change("items", "c", narrow, Map.of("id", 1, "qty", 5), T.toEpochMilli()));
            in.pipeInput(DebeziumJson.key(2), DebeziumJson.change("items", "c", wide, Map.of("id", 2, "qty", 5_000_000_000L),
                    T.toEpochMilli()));

            List<GenericRecord> rows = lake.readValuesToList();
            assertThat(rows.get(0).getSchema().getField("qty").schema().getTypes().get(1).getType()).isEqualTo(Schema.Type.INT);
            assertThat(rows.get(1).getSchema().getField("qty").schema().getTypes().get(1).getType()).isEqualTo(Schema.Type.LONG);
            assertThat(rows.get(1).get("qty")).isEqualTo(5_000_000_000L);
            assertThat(items.registry().versions("lake.items-value")).containsExactly(1, 2);
        }
    }

    @Test
    void malformedChangeEventsAreDeadLettered() {
        p.transactions.pipeInput(DebeziumJson.key(1), "{\"payload\":{\"op\":\"c\"}}".getBytes(StandardCharsets.UTF_8), T);
        p.transactions.pipeInput(DebeziumJson.key(1), "not json".getBytes(StandardCharsets.UTF_8), T);
        assertThat(p.cdcDeadLetters.readRecordsToList()).extracting(r -> EventPipelineTest.headers(r.headers().toArray()).get("tributary.dlq.stage"))
                .containsExactly("cdc-parse", "cdc-parse");
        assertThat(p.lakeTransactions.isEmpty()).isTrue();
    }
}
