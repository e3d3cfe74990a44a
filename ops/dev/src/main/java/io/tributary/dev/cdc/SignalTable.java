package io.tributary.dev.cdc;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * Debezium's signal table in a database, as its docs define it, with the grant the connector user
 * needs: an incremental snapshot (asked for through the table, e.g. by {@code cdc verify --heal})
 * writes its window markers into the same table, so the user needs INSERT there, and no more.
 */
public final class SignalTable {
    public static final String NAME = "debezium_signal";

    private SignalTable() {
    }

    public static void create(Statement st, String database, String connectorUser) throws SQLException {
        st.execute("CREATE TABLE `" + database + "`." + NAME
                + " (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048))");
        st.execute("GRANT INSERT ON `" + database + "`." + NAME + " TO '" + connectorUser + "'@'%'");
    }
}
