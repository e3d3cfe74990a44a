package io.tributary.dev.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.devstack.StackConfig;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The demo's shop database, created from devstack/compose/shop.sql on the local MariaDB, seeded, and created again. */
@ExtendWith(DevStackExtension.class)
class ShopDatabaseIT {
    @Test
    void theSchemaFileCreatesTheCapturedTablesTheSignalGrantAndTheSeedRows(DevStack stack) throws Exception {
        for (int run = 0; run < 2; run++) { // the demo drops and creates it on every run
            try (ShopDatabase shop = ShopDatabase.connect(stack.config().jdbcUrl(), StackConfig.DB_ADMIN_USER,
                    StackConfig.DB_ADMIN_PASSWORD)) {
                shop.create();
            }
        }
        try (Connection c = stack.jdbc("shop"); Statement st = c.createStatement()) {
            assertThat(strings(st, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'shop' ORDER BY 1"))
                    .containsExactly("debezium_signal", "masters", "transactions", "users");
            assertThat(strings(st, "SELECT count(*) FROM masters")).containsExactly(String.valueOf(ShopDatabase.MASTERS.size()));
            assertThat(strings(st, "SELECT count(*) FROM users")).containsExactly(String.valueOf(ShopDatabase.USERS));
            assertThat(strings(st, "SHOW GRANTS FOR '" + StackConfig.DB_CDC_USER + "'@'%'"))
                    .contains("GRANT INSERT ON `shop`.`debezium_signal` TO `" + StackConfig.DB_CDC_USER + "`@`%`");
            assertThat(strings(st, "SELECT default_character_set_name FROM information_schema.schemata WHERE schema_name = 'shop'"))
                    .containsExactly("utf8mb4");
        }
    }

    private static List<String> strings(Statement st, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet r = st.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}
