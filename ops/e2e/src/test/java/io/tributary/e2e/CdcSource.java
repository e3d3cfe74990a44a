package io.tributary.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.connectors.ConnectRestClient;
import io.tributary.cli.connectors.ConnectorFile;
import io.tributary.dev.cdc.SignalTable;
import io.tributary.devstack.StackConfig;
import io.tributary.testing.DevStack;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A database of its own on the shared test stack, captured by a Debezium connector deployed from
 * the shipped local connector config with only the names changed (database, topic prefix, schema
 * history topic, replica server id), so that CDC tests never see each other's changes. Closing it
 * deletes the connector, which would otherwise keep running on the shared worker for every later
 * test (and be restarted by every later worker kill).
 */
final class CdcSource implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SERVER_IDS = new AtomicInteger(5400);

    final DevStack stack;
    final String database;
    final String connector;
    final String topicPrefix;
    final ConnectRestClient rest;
    /** What {@link #deploy} puts on the worker. */
    final Map<String, String> config;

    private CdcSource(DevStack stack, String database) {
        this.stack = stack;
        this.database = database;
        this.connector = "cdc-" + database;
        this.topicPrefix = database;
        this.rest = new ConnectRestClient(stack.config().connectUrl());
        this.config = connectorConfig();
    }

    /** A fresh database with a {@code transactions} table (as in the demo's shop) and Debezium's signal table. */
    static CdcSource create(DevStack stack) throws SQLException {
        CdcSource source = new CdcSource(stack, stack.createDatabase("cdc"));
        try (Connection c = source.jdbc(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE transactions (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id VARCHAR(32) NOT NULL, "
                    + "amount DECIMAL(12,2) NOT NULL, status VARCHAR(20) NOT NULL)");
            SignalTable.create(st, source.database, StackConfig.DB_CDC_USER);
        }
        return source;
    }

    Connection jdbc() throws SQLException {
        return stack.jdbc(database);
    }

    String topic(String table) {
        return topicPrefix + "." + database + "." + table;
    }

    /** The shipped local Debezium config, renamed for this database (a server id of its own). */
    private Map<String, String> connectorConfig() {
        ConnectorFile shipped = ConnectorFile.load(TributaryHome.connectorConfigs(), "local").stream()
                .filter(ConnectorFile::isDebeziumSource).findFirst().orElseThrow();
        Map<String, String> config = new HashMap<>(shipped.config());
        config.put("database.include.list", database);
        config.put("table.include.list", database + "\\.transactions," + database + "\\.debezium_signal");
        config.put("signal.data.collection", database + ".debezium_signal");
        config.put("topic.prefix", topicPrefix);
        config.put("database.server.id", Integer.toString(SERVER_IDS.incrementAndGet()));
        config.put("schema.history.internal.kafka.topic", "_schema-history." + database);
        return config;
    }

    void deploy() {
        rest.putConfig(connector, config);
        awaitRunning();
    }

    void awaitRunning() {
        rest.awaitRunning(connector, 1, Duration.ofMinutes(2), line -> { });
    }

    @Override
    public void close() {
        rest.delete(connector);
    }

    /** The connector's stored source offset (Connect's GET /connectors/NAME/offsets), for reports. */
    String storedOffset() {
        JsonNode offsets = rest.offsets(connector);
        return offsets == null ? "none" : offsets.toString();
    }

    /** Every change event on a table's topic so far: (op, id) pairs in topic order per partition. */
    List<Change> changes(String table, int expectedAtLeast, Duration timeout) {
        Properties props = new Properties();
        props.put("bootstrap.servers", stack.config().bootstrapServers());
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        List<Change> out = new java.util.ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) { // Debezium creates it with the first change
                partitions = consumer.partitionsFor(topic(table), Duration.ofSeconds(5)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (out.size() < expectedAtLeast && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null) {
                        out.add(Change.of(r.value()));
                    }
                }
            }
        }
        return out;
    }

    /** One change event: Debezium's op and the row's id (after image, or before for deletes). */
    record Change(String op, long id, JsonNode source) {
        static Change of(byte[] value) {
            try {
                JsonNode payload = JSON.readTree(value).path("payload");
                String op = payload.path("op").asText();
                JsonNode row = payload.path("d".equals(op) ? "before" : "after");
                return new Change(op, row.path("id").asLong(), payload.path("source"));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Not a Debezium change event", e);
            }
        }
    }
}
