package io.tributary.devstack.postgres;

import static io.tributary.devstack.Errors.rootMessage;

import io.tributary.devstack.Health;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.process.DevStackBuild;
import io.tributary.devstack.process.JavaProcess;
import io.tributary.devstack.process.ProcessComponent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL 16, the database the dashboard aggregates are upserted into (by Debezium's JDBC sink)
 * and BI tools read; its data under {@code <data-dir>/postgres}. Its server outlives a killed JVM
 * (see {@link Postmaster}), so stopping and killing this component also end the server itself.
 */
public final class PostgresServer extends ProcessComponent {
    public static final String NAME = "postgres";
    private static final int FAST_SHUTDOWN_SECONDS = 15;

    public PostgresServer(StackConfig config, DevStackBuild build) {
        super(NAME, List.of(), config, build);
    }

    @Override
    public Map<String, Integer> ports() {
        return Map.of("PostgreSQL", config.postgresPort());
    }

    private Path root() {
        return config.dataDir().resolve(NAME);
    }

    @Override
    protected JavaProcess launch() {
        return startJava(List.of("-Xmx96m"), PostgresServerMain.class.getName(),
                List.of(root().toString(), String.valueOf(config.postgresPort())), Map.of());
    }

    /** The child JVM's shutdown hook stops the server (pg_ctl stop -m fast); if it could not, the server is killed. */
    @Override
    public void stop() {
        super.stop();
        if (!Postmaster.awaitExit(root().resolve("data"), FAST_SHUTDOWN_SECONDS)) {
            Postmaster.kill(root().resolve("data"));
        }
    }

    @Override
    public void kill() {
        super.kill();
        Postmaster.kill(root().resolve("data"));
    }

    /** Opens a connection to the dashboards database as the user the JDBC sink connects as; the caller closes it. */
    public static Connection connect(StackConfig config) throws SQLException {
        return DriverManager.getConnection(config.postgresUrl() + "?connectTimeout=2", StackConfig.PG_USER, StackConfig.PG_PASSWORD);
    }

    @Override
    public Health health() {
        try (Connection c = connect(config); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return Health.up("PostgreSQL " + rs.getString(1) + ", database " + StackConfig.PG_DATABASE);
        } catch (SQLException e) {
            return Health.down("cannot log in at " + config.postgresUrl() + ": " + rootMessage(e));
        }
    }
}
