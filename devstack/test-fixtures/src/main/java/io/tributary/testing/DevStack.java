package io.tributary.testing;

import io.tributary.devstack.StackConfig;
import io.tributary.devstack.mariadb.MariaDbServer;
import io.tributary.devstack.postgres.PostgresServer;
import io.tributary.devstack.s3.LocalS3;
import io.tributary.devstack.s3.S3Server;
import io.tributary.devstack.stack.Stack;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The shared test stack as a test sees it: endpoints, fault injection, and helpers that create
 * fresh topics, buckets and databases so that tests never see each other's data.
 */
public final class DevStack implements ExtensionContext.Store.CloseableResource {
    private final Stack stack;
    private final Admin admin;
    private final S3Client s3;

    DevStack(Stack stack) {
        this.stack = stack;
        this.admin = Admin.create(Map.of("bootstrap.servers", stack.config().bootstrapServers()));
        this.s3 = LocalS3.client(stack.config());
    }

    public StackConfig config() {
        return stack.config();
    }

    /** The stack itself, for restarting or killing a component in fault tests. */
    public Stack stack() {
        return stack;
    }

    public Admin admin() {
        return admin;
    }

    public S3Client s3() {
        return s3;
    }

    /** A name no other test uses: {@code prefix-<8 hex>}. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a topic with a fresh name and returns the name. */
    public String createTopic(String prefix, int partitions) {
        return createTopicNamed(uniqueName(prefix), partitions);
    }

    /** Creates a topic with exactly this name (make it unique, e.g. with a {@link #uniqueName} prefix). */
    public String createTopicNamed(String name, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create topic " + name, e);
        }
        return name;
    }

    /** Creates a bucket with a fresh name and returns the name. */
    public String createBucket(String prefix) {
        String name = uniqueName(prefix).toLowerCase(Locale.ROOT);
        S3Server.ensureBucket(s3, name);
        return name;
    }

    /** Creates a database with a fresh name and returns the name. */
    public String createDatabase(String prefix) {
        String name = uniqueName(prefix).replace('-', '_');
        try (Connection c = jdbc(""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE `" + name + "`");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name, e);
        }
        return name;
    }

    /** A connection to PostgreSQL's dashboards database as the user the JDBC sink connects as; the caller closes it. */
    public Connection postgres() throws SQLException {
        return PostgresServer.connect(config());
    }

    /** A connection as the admin user; the caller closes it. */
    public Connection jdbc(String database) throws SQLException {
        return MariaDbServer.connect(config(), database);
    }

    @Override
    public void close() {
        admin.close();
        s3.close();
        stack.close();
    }
}
