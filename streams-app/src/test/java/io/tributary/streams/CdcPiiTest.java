package io.tributary.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.testing.DebeziumJson.Column;
import io.tributary.testing.DebeziumJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PII policy of CDC tables: configured columns are dropped or hashed (HMAC-SHA-256 keyed with
 * the salt) in the lake rows, also when the column is added to the source table later, and in the
 * master attributes enrichment copies into events.
 */
class CdcPiiTest {
    private static final Instant T = Instant.parse("2025-11-22T05:00:00Z");
    private final PipelineFixture p = new PipelineFixture(Map.of(
            "cdc.pii.drop", "transactions.user_id,*.email",
            "cdc.pii.hash", "masters.display_name,transactions.card_holder,transactions.card_pin"));

    @AfterEach
    void close() {
        p.close();
    }

    private static Map<String, Object> transaction(long id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("user_id", "u-secret");
        row.put("source_type_id", 7);
        row.put("amount", DebeziumJson.decimal("10.00", 2));
        row.put("currency", "JPY");
        row.put("status", "paid");
        row.put("created_at", T.toEpochMilli());
        return row;
    }

    @Test
    void configuredColumnsAreDroppedOrHashedAlsoWhenAddedToTheSourceTableLater() {
        p.transactions.pipeInput(DebeziumJson.key(1), DebeziumJson.change("transactions", "c", DebeziumJson.TRANSACTIONS,
                transaction(1), T.toEpochMilli()), T);
        List<Column> altered = new ArrayList<>(DebeziumJson.TRANSACTIONS);
        altered.add(Column.of("card_holder", "string"));
        altered.add(Column.of("card_pin", "int32"));
        altered.add(Column.of("email", "string"));
        Map<String, Object> row = transaction(2);
        row.put("card_holder", "YAMADA TARO");
        row.put("card_pin", 1234);
        row.put("email", "taro@example.jp");
        p.transactions.pipeInput(DebeziumJson.key(2), DebeziumJson.change("transactions", "c", altered, row,
                T.plusSeconds(1).toEpochMilli()), T.plusSeconds(1));

        List<GenericRecord> rows = p.lakeTransactions.readValuesToList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("user_id")).isNull();
        assertThat(rows.get(0).get("currency").toString()).isEqualTo("JPY");
        GenericRecord later = rows.get(1);
        assertThat(later.get("user_id")).isNull();
        assertThat(later.get("card_holder").toString()).isEqualTo(EventPipelineTest.hmac(PipelineFixture.SALT, "YAMADA TARO"));
        assertThat(later.get("card_pin")).as("an int cannot hold a hash: dropped").isNull();
        assertThat(later.get("email")).isNull();
        assertThat(later.toString()).doesNotContain("u-secret").doesNotContain("YAMADA").doesNotContain("taro@");
        assertThat(p.cdcDeadLetters.isEmpty()).isTrue();
    }

    @Test
    void enrichmentCopiesTheHashedMasterValueTheMastersTableShows() {
        p.sendMaster("r", 7, "ウェブ", "web", T);
        String hashed = EventPipelineTest.hmac(PipelineFixture.SALT, "ウェブ");
        assertThat(p.lakeMasters.readValue().get("display_name").toString()).isEqualTo(hashed);
        p.sendEvent("{\"event_id\":\"e\",\"event_time\":\"" + T.plusSeconds(5) + "\",\"source_type_id\":7}");
        GenericRecord event = p.events().get(0);
        assertThat(event.get("source_type_name").toString()).isEqualTo(hashed);
        assertThat(event.get("source_type_category").toString()).isEqualTo("web");
    }

    @Test
    void aConversionErrorNamesTheColumnButNotItsValue() {
        Map<String, Object> row = transaction(3);
        row.put("created_at", "taro@example.jp");
        p.transactions.pipeInput(DebeziumJson.key(3), DebeziumJson.change("transactions", "c", DebeziumJson.TRANSACTIONS,
                row, T.toEpochMilli()), T);
        String message = EventPipelineTest.headers(p.cdcDeadLetters.readRecord().headers().toArray()).get("tributary.dlq.error.message");
        assertThat(message).isEqualTo("column created_at: a JSON string value cannot be converted to "
                + "{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"} (expected an integer of at most 64 bits)");
    }

    @Test
    void columnsThatCannotBeProtectedOrTablesThatDoNotExistFailAtStart() {
        assertThatThrownBy(() -> new PipelineFixture(Map.of("cdc.pii.hash", "transactions.amount")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("transactions.amount")
                .hasMessageContaining("only string columns can hold a hash (drop it instead)");
        assertThatThrownBy(() -> new PipelineFixture(Map.of("cdc.pii.drop", "customers.email")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("table customers is not one of the CDC tables");
        assertThatThrownBy(() -> new PipelineFixture(Map.of("cdc.pii.drop", "email")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected table.column or *.column");
        assertThatThrownBy(() -> new PipelineFixture(Map.of("cdc.pii.drop", "masters.code", "cdc.pii.hash", "masters.code")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("named in both cdc.pii.drop and cdc.pii.hash");
        assertThatThrownBy(() -> new PipelineFixture(Map.of("pii.hash", "source_type_name")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("filled by enrichment from a master table");
    }
}
