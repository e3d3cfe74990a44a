package io.tributary.dev.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.connectors.ConnectorFile;
import io.tributary.dev.cdc.SignalTable;
import io.tributary.devstack.StackConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shop schema file (devstack/compose/shop.sql) that the demo runs on MariaDB and compose's setup-db
 * on MySQL: its statements, and every table the Debezium configs capture.
 */
class ShopSchemaTest {
    @Test
    void createsTheDatabaseEveryCapturedTableAndTheSignalGrant() {
        List<String> statements = ShopDatabase.schemaStatements();
        assertThat(statements).hasSize(6);
        assertThat(statements.get(0)).isEqualTo("CREATE DATABASE IF NOT EXISTS shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        assertThat(statements).noneMatch(s -> s.contains(";") || s.startsWith("--"));
        for (String environment : ConnectorFile.ENVIRONMENTS) {
            String include = ConnectorFile.load(TributaryHome.connectorConfigs(), environment).stream()
                    .filter(ConnectorFile::isDebeziumSource).findFirst().orElseThrow().config().get("table.include.list");
            for (String table : include.split(",")) {
                String name = table.replace("\\.", ".");
                assertThat(statements).as("%s captures %s", environment, name)
                        .anyMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS " + name + " ("));
            }
        }
        assertThat(statements).last().isEqualTo("GRANT INSERT ON " + ShopDatabase.DATABASE + "." + SignalTable.NAME + " TO '"
                + StackConfig.DB_CDC_USER + "'@'%'");
    }
}
