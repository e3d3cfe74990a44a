package io.tributary.ops.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.devstack.junit.DevStack;
import io.tributary.devstack.junit.DevStackExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Committed rows must reach the CDC topic across connector restarts. The first case is the
 * reproduction of the row loss found on the local stack: a standalone DDL statement (MariaDB
 * writes it with a GTID event but no commit event), some idle seconds, a connector restart, then
 * single-row transactions.
 */
@ExtendWith(DevStackExtension.class)
class CdcRestartIT {

    @Test
    void rowsCommittedAfterAnIdleDdlSurviveAConnectorRestart(DevStack stack) throws Exception {
        CdcSource source = CdcSource.create(stack);
        List<Long> committed = new ArrayList<>();
        committed.add(insert(source));
        source.deploy();
        assertThat(source.changes("transactions", 1, Duration.ofMinutes(1))).hasSize(1);
        committed.add(insert(source));
        assertThat(source.changes("transactions", 2, Duration.ofMinutes(1))).hasSize(2);

        try (Connection c = source.jdbc(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ddl_probe (id INT PRIMARY KEY)");
        }
        // Idle long enough for a Debezium heartbeat (10 s) and an offset flush (5 s) after the DDL.
        Thread.sleep(Duration.ofSeconds(20).toMillis());
        String offsetBefore = source.storedOffset();
        source.rest.restart(source.connector);
        source.awaitRunning();
        for (int i = 0; i < 40; i++) {
            committed.add(insert(source));
        }

        List<CdcSource.Change> changes = source.changes("transactions", committed.size(), Duration.ofMinutes(1));
        Set<Long> missing = new TreeSet<>(committed);
        missing.removeAll(changes.stream().map(CdcSource.Change::id).collect(Collectors.toSet()));
        assertThat(missing).as("committed ids missing from the CDC topic after a restart from offset %s", offsetBefore)
                .isEmpty();
    }

    private static long insert(CdcSource source) throws Exception {
        try (Connection c = source.jdbc(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO transactions (user_id, amount, status) VALUES ('u-1', 12.50, 'pending')",
                Statement.RETURN_GENERATED_KEYS)) {
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }
}
