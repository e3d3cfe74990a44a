package io.tributary.streams;

import io.tributary.schemas.registry.SchemaRegistryClient;
import io.tributary.schemas.registry.SchemaRegistryClients;
import io.tributary.schemas.serde.AvroDeserializer;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.metrics.PipelineMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The topology on a TopologyTestDriver with an in-memory registry, and the topics a test talks to. */
final class PipelineFixture implements AutoCloseable {
    static final String EVENTS = "app.events";
    static final String MASTERS_TOPIC = "tributary.shop.masters";
    static final String TRANSACTIONS_TOPIC = "tributary.shop.transactions";
    static final String SALT = "test-salt";

    final String registryUrl = "mock://" + UUID.randomUUID();
    final PipelineMetrics metrics = PipelineMetrics.discarding();
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> events;
    final TestInputTopic<byte[], byte[]> masters;
    final TestInputTopic<byte[], byte[]> transactions;
    final TestOutputTopic<String, GenericRecord> lakeEvents;
    final TestOutputTopic<String, GenericRecord> lakeMasters;
    final TestOutputTopic<String, GenericRecord> lakeTransactions;
    final TestOutputTopic<String, GenericRecord> lakeDeadLetters;
    final TestOutputTopic<byte[], byte[]> deadLetters;

    PipelineFixture() {
        this(Map.of());
    }

    PipelineFixture(Map<String, String> overrides) {
        Map<String, Object> props = new HashMap<>(Map.of(
                PipelineConfig.BOOTSTRAP_SERVERS, "unused:9092",
                PipelineConfig.SCHEMA_REGISTRY_URL, registryUrl,
                PipelineConfig.CDC_TOPICS, TRANSACTIONS_TOPIC + "," + MASTERS_TOPIC,
                PipelineConfig.LOOKUPS, "source_type",
                "enrichment.source_type.event.field", "source_type_id",
                "enrichment.source_type.table", "masters",
                "enrichment.source_type.key.column", "id",
                "enrichment.source_type.columns", "display_name:source_type_name,category:source_type_category",
                PipelineConfig.PII_DROP, "user_email",
                PipelineConfig.PII_HASH, "user_ip"));
        props.put(PipelineConfig.PII_SALT, SALT);
        props.putAll(overrides);
        PipelineConfig config = new PipelineConfig(props);
        Properties streams = new Properties();
        streams.putAll(config.streamsProperties());
        streams.put("state.dir", System.getProperty("java.io.tmpdir") + "/tributary-ttd-" + UUID.randomUUID());
        driver = new TopologyTestDriver(TributaryTopology.build(new StreamsBuilder(), config, metrics), streams);
        ByteArraySerializer bytes = new ByteArraySerializer();
        events = driver.createInputTopic(EVENTS, bytes, bytes);
        masters = driver.createInputTopic(MASTERS_TOPIC, bytes, bytes);
        transactions = driver.createInputTopic(TRANSACTIONS_TOPIC, bytes, bytes);
        AvroDeserializer avro = new AvroDeserializer(Map.of("schema.registry.url", registryUrl));
        StringDeserializer strings = new StringDeserializer();
        lakeEvents = driver.createOutputTopic("lake.app_events", strings, avro);
        lakeMasters = driver.createOutputTopic("lake.masters", strings, avro);
        lakeTransactions = driver.createOutputTopic("lake.transactions", strings, avro);
        lakeDeadLetters = driver.createOutputTopic("lake.dead_letters", strings, avro);
        deadLetters = driver.createOutputTopic("tributary.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    SchemaRegistryClient registry() {
        return SchemaRegistryClients.forUrl(registryUrl);
    }

    void sendEvent(String json) {
        events.pipeInput(new TestRecord<>(null, json.getBytes(StandardCharsets.UTF_8), Instant.now()));
    }

    void sendMaster(String op, long id, String name, String category, Instant committed) {
        masters.pipeInput(DebeziumJson.key(id), DebeziumJson.change("masters", op, DebeziumJson.MASTERS,
                DebeziumJson.master(id, "code-" + id, name, category), committed.toEpochMilli()), committed);
    }

    List<GenericRecord> events() {
        return lakeEvents.readValuesToList();
    }

    @Override
    public void close() {
        driver.close();
        SchemaRegistryClients.dropMock(registryUrl);
    }
}
