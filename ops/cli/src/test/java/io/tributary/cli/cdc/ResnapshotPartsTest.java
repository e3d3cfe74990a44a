package io.tributary.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.cli.common.CliError;
import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.connectors.ConnectorFile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `cdc resnapshot`'s parts that need no running stack: the signal Debezium reads (CdcVerifyIT runs
 * it against a real connector), the shipped connector configs have a signal table and Kafka
 * notifications in both environments, and a connector without notifications is refused in one line.
 */
class ResnapshotPartsTest {
    @Test
    void theSignalAsksForAnIncrementalSnapshotOfTheWholeTableOrOfTheFilteredRows() throws Exception {
        JsonNode whole = new ObjectMapper().readTree(SnapshotSignal.data("shop.masters", null));
        assertThat(whole.toString()).isEqualTo("{\"data-collections\":[\"shop.masters\"],\"type\":\"incremental\"}");
        JsonNode some = new ObjectMapper().readTree(SnapshotSignal.data("shop.masters", "`code` IN ('a\"b')"));
        assertThat(some.at("/additional-conditions/0/data-collection").asText()).isEqualTo("shop.masters");
        assertThat(some.at("/additional-conditions/0/filter").asText()).isEqualTo("`code` IN ('a\"b')");
    }

    @Test
    void bothShippedConnectorConfigsHaveTheSignalTableAndKafkaNotifications() {
        for (String environment : ConnectorFile.ENVIRONMENTS) {
            ConnectorFile debezium = ConnectorFile.load(TributaryHome.connectorConfigs(), environment).stream()
                    .filter(ConnectorFile::isDebeziumSource).findFirst().orElseThrow();
            CapturedTables captured = CapturedTables.of(java.util.List.of(debezium));
            assertThat(captured.signalTable()).as(environment).isEqualTo("shop.debezium_signal");
            assertThat(captured.tables()).as(environment).contains("shop.masters", "shop.transactions");
            assertThat(ResnapshotCommand.notificationTopic(debezium.name(), debezium.config()))
                    .isEqualTo("_tributary.notifications.cdc-shop");
        }
    }

    @Test
    void aConnectorWithoutKafkaNotificationsIsRefusedSayingWhatToSet() {
        assertThatThrownBy(() -> ResnapshotCommand.notificationTopic("cdc", Map.of("notification.enabled.channels", "log,jmx")))
                .isInstanceOf(CliError.class)
                .hasMessage("Connector cdc sends no notifications to Kafka, so the end of the snapshot cannot be seen: set "
                        + "notification.enabled.channels=sink and notification.sink.topic.name (as connectors/config does) "
                        + "and apply the config");
    }
}
