package io.tributary.streams;

import io.tributary.schemas.registry.SchemaRegistryClient;
import io.tributary.schemas.registry.SchemaRegistryClients;
import io.tributary.schemas.serde.AvroDeserializer;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.dlq.HandlerDeadLetters;
import io.tributary.streams.dlq.RefusedRows;
import io.tributary.streams.metrics.PipelineMetrics;
import io.tributary.testing.DebeziumJson;
import io.tributary.testing.TestDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Both topologies on TopologyTestDriver, with an in-memory registry, and the topics a test talks to.
 * Master changes go to both, as the real topic feeds both apps: the changes app's lake rows and the
 * events app's global history store. The drivers get the app's exception handler wiring
 * ({@link HandlerDeadLetters#streamsProperties}).
 */
final class PipelineFixture implements AutoCloseable {
    static final String EVENTS = "app.events";
    static final String MASTERS_TOPIC = "tributary.shop.masters";
    static final String TRANSACTIONS_TOPIC = "tributary.shop.transactions";
    static final String SALT = "test-salt";

    final String registryUrl = "mock://" + UUID.randomUUID();
    final PipelineMetrics metrics = PipelineMetrics.discarding();
    final RefusedRows refused = new RefusedRows();
    private final Path eventsState;
    private final Path changesState;
    final TopologyTestDriver eventsDriver;
    final TopologyTestDriver changesDriver;
    final TestInputTopic<byte[], byte[]> events;
    private final List<TestInputTopic<byte[], byte[]>> masters;
    final TestInputTopic<byte[], byte[]> transactions;
    final TestOutputTopic<String, GenericRecord> lakeEvents;
    final TestOutputTopic<String, GenericRecord> lakeMasters;
    final TestOutputTopic<String, GenericRecord> lakeTransactions;
    /** The events app's dead_letters rows. */
    final TestOutputTopic<String, GenericRecord> lakeDeadLetters;
    /** The changes app's dead_letters rows. */
    final TestOutputTopic<String, GenericRecord> cdcLakeDeadLetters;
    /** Dead letters of the events app. */
    final TestOutputTopic<byte[], byte[]> deadLetters;
    /** Dead letters of the changes app. */
    final TestOutputTopic<byte[], byte[]> cdcDeadLetters;

    PipelineFixture() {
        this(Map.of());
    }

    PipelineFixture(Map<String, String> overrides) {
        PipelineConfig config = new PipelineConfig(props(registryUrl, overrides));
        HandlerDeadLetters handlers = new HandlerDeadLetters(config, metrics, refused);
        PipelinePlan plan = PipelinePlan.of(config);
        Topology eventsTopology = TributaryTopology.events(new StreamsBuilder(), plan, metrics, refused);
        Topology changesTopology = TributaryTopology.changes(new StreamsBuilder(), plan, metrics, refused);
        eventsState = TestDirs.fresh("tributary-ttd-"); // only once the topologies built: a refused configuration leaves none behind
        changesState = TestDirs.fresh("tributary-ttd-");
        eventsDriver = driver(eventsTopology, config, handlers, eventsState);
        changesDriver = driver(changesTopology, config, handlers, changesState);
        ByteArraySerializer bytes = new ByteArraySerializer();
        events = eventsDriver.createInputTopic(EVENTS, bytes, bytes);
        masters = List.of(eventsDriver.createInputTopic(MASTERS_TOPIC, bytes, bytes),
                changesDriver.createInputTopic(MASTERS_TOPIC, bytes, bytes));
        transactions = changesDriver.createInputTopic(TRANSACTIONS_TOPIC, bytes, bytes);
        AvroDeserializer avro = new AvroDeserializer(Map.of("schema.registry.url", registryUrl));
        StringDeserializer strings = new StringDeserializer();
        ByteArrayDeserializer raw = new ByteArrayDeserializer();
        lakeEvents = eventsDriver.createOutputTopic("lake.app_events", strings, avro);
        lakeMasters = changesDriver.createOutputTopic("lake.masters", strings, avro);
        lakeTransactions = changesDriver.createOutputTopic("lake.transactions", strings, avro);
        lakeDeadLetters = eventsDriver.createOutputTopic("lake.dead_letters", strings, avro);
        cdcLakeDeadLetters = changesDriver.createOutputTopic("lake.dead_letters", strings, avro);
        deadLetters = eventsDriver.createOutputTopic("tributary.dlq", raw, raw);
        cdcDeadLetters = changesDriver.createOutputTopic("tributary.dlq", raw, raw);
    }

    /** The fixture's pipeline configuration (topics, a lookup on masters, PII rules and salt), with {@code overrides}. */
    static Map<String, Object> props(String registryUrl, Map<String, String> overrides) {
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
        return props;
    }

    private static TopologyTestDriver driver(Topology topology, PipelineConfig config, HandlerDeadLetters handlers, Path stateDir) {
        Properties streams = new Properties();
        streams.putAll(config.streamsProperties());
        streams.putAll(handlers.streamsProperties());
        streams.put("state.dir", stateDir.toString());
        return new TopologyTestDriver(topology, streams);
    }

    SchemaRegistryClient registry() {
        return SchemaRegistryClients.forUrl(registryUrl);
    }

    void sendEvent(String json) {
        events.pipeInput(new TestRecord<>(null, json.getBytes(StandardCharsets.UTF_8), Instant.now()));
    }

    void sendMaster(String op, long id, String name, String category, Instant committed) {
        pipeMasterChange(DebeziumJson.key(id), DebeziumJson.change("masters", op, DebeziumJson.MASTERS,
                DebeziumJson.master(id, "code-" + id, name, category), committed.toEpochMilli()), committed);
    }

    /** A record on the masters' CDC topic, which both apps read. */
    void pipeMasterChange(byte[] key, byte[] value, Instant timestamp) {
        masters.forEach(m -> m.pipeInput(key, value, timestamp));
    }

    List<GenericRecord> events() {
        return lakeEvents.readValuesToList();
    }

    /** A counter's count summed over its other tags (0 when it was never counted). */
    double count(String meter, String table) {
        return metrics.registry().find(meter).tag("table", table).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    /** tributary_records_in_total = out + dead_lettered for a table: true when the counts reconcile. */
    void assertCountsReconcile(String table) {
        org.assertj.core.api.Assertions.assertThat(count("tributary.records.in", table))
                .as("records in of %s = out + dead-lettered", table)
                .isEqualTo(count("tributary.records.out", table) + count("tributary.records.dead.lettered", table));
    }

    @Override
    public void close() {
        eventsDriver.close();
        changesDriver.close();
        SchemaRegistryClients.dropMock(registryUrl);
        TestDirs.delete(eventsState);
        TestDirs.delete(changesState);
    }
}
