package io.tributary.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.devstack.postgres.PostgresServer;
import io.tributary.devstack.stack.Stack;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import io.tributary.testing.FreePorts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(DevStackExtension.class)
class PostgresServerIT {

    /** The sink's user owns the dashboards database; the BI role reads every table, also later ones, and writes none. */
    @Test
    void theSinkUserWritesTheBiRoleOnlyReadsAndEveryLoginNeedsItsPassword(DevStack stack) throws Exception {
        String table = DevStack.uniqueName("t").replace('-', '_');
        try (Connection c = stack.postgres(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, name text)");
            s.execute("INSERT INTO " + table + " VALUES (1, 'ウェブサイト')");
        }
        StackConfig config = stack.config();
        try (Connection bi = DriverManager.getConnection(config.postgresUrl(), StackConfig.PG_BI_USER, StackConfig.PG_BI_PASSWORD);
             Statement s = bi.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT name FROM " + table)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ウェブサイト");
            }
            assertThatThrownBy(() -> s.execute("INSERT INTO " + table + " VALUES (2, 'x')"))
                    .hasMessageContaining("permission denied");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(config.postgresUrl(), StackConfig.PG_USER, "wrong"))
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> DriverManager.getConnection(config.postgresUrl(), "postgres", ""))
                .isInstanceOf(SQLException.class);
    }

    /**
     * Data survives a restart; a SIGKILL of the component ends the server too (pg_ctl daemonizes it, so
     * it is no child of the killed JVM), and the next start finds its port free and its data intact.
     */
    @Test
    void dataSurvivesARestartAndAKillLeavesNoServerBehind(@TempDir Path dir) throws Exception {
        StackConfig config = FreePorts.stack(dir);
        Component postgres = Stack.describe(config).get(PostgresServer.NAME);
        postgres.start();
        try {
            try (Connection c = PostgresServer.connect(config); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (id int PRIMARY KEY)");
                s.execute("INSERT INTO kept VALUES (1)");
            }
            postgres.stop();
            assertThat(postgres.health().healthy()).isFalse();
            postgres.start();
            assertThat(count(config)).isEqualTo(1);
            postgres.kill();
            assertThat(postgres.health().healthy()).as("the server died with its JVM").isFalse();
            postgres.start();
            assertThat(count(config)).isEqualTo(1);
        } finally {
            postgres.stop();
        }
        assertThat(postgres.health().healthy()).isFalse();
    }

    private static int count(StackConfig config) throws SQLException {
        try (Connection c = PostgresServer.connect(config); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM kept")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
