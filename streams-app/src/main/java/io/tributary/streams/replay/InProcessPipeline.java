package io.tributary.streams.replay;

import io.tributary.schemas.registry.RegistryClientConfig;
import io.tributary.schemas.registry.SchemaRegistryClient;
import io.tributary.schemas.registry.SchemaRegistryClients;
import io.tributary.schemas.serde.AvroDeserializer;
import io.tributary.schemas.serde.ConfluentWireFormat;
import io.tributary.streams.PipelinePlan;
import io.tributary.streams.TributaryTopology;
import io.tributary.streams.cdc.AppliedPositions;
import io.tributary.streams.cdc.ChangeEvent;
import io.tributary.streams.config.LakeTopics;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.dlq.HandlerDeadLetters;
import io.tributary.streams.dlq.RecordFailure;
import io.tributary.streams.dlq.RefusedRows;
import io.tributary.streams.metrics.PipelineMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The live app's own topology, built by the unchanged {@link TributaryTopology} builders from a
 * {@link PipelinePlan}, run in this process over records a replay hands it one at a time, with
 * Kafka Streams' public in-process runner (TopologyTestDriver, KIP-247): the same parse, flatten,
 * coerce, PII, as-of enrichment, CDC de-duplication, dead letters and exception handlers, with no
 * Kafka round trip. Two things differ from the live app, both so that a replay is a function of its
 * input: the event time window's "now" is the replayed record's Kafka timestamp (not the wall
 * clock), and a dead letter names the record's real partition and offset (the driver has one
 * partition per topic and offsets of its own). The driver runs at-least-once: what a record becomes
 * is the same, without a transaction per record.
 *
 * <p>An events pipeline first takes the master tables' change history ({@link #history}), which
 * fills the global stores exactly as the live app's global threads do, then the events.
 */
public final class InProcessPipeline implements AutoCloseable {
    /** A source record as it was on its topic. */
    public record Input(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, Headers headers) {
    }

    /** What one input became: lake rows (with their record time, which picks their hour) and dead_letters rows. */
    public record Output(List<Row> rows, List<GenericRecord> deadLetters) {
        public boolean isEmpty() {
            return rows.isEmpty() && deadLetters.isEmpty();
        }
    }

    /**
     * A lake row as the topology serialized it (its writer schema and Avro body) and its record time:
     * the event time (events) or the commit time (CDC). A replay spools the bytes as they are; {@link
     * #row} decodes them for whoever needs the values (decoding every row, and encoding it again for the
     * spool, was a tenth of a replay's CPU, JFR).
     */
    public static final class Row {
        private final GenericDatumReader<GenericRecord> reader;
        private final byte[] value;
        private final long time;

        private Row(GenericDatumReader<GenericRecord> reader, byte[] value, long time) {
            this.reader = reader;
            this.value = value;
            this.time = time;
        }

        public Schema schema() {
            return reader.getSchema();
        }

        /** The row's Avro binary encoding, with {@link #schema}. */
        public ByteBuffer datum() {
            return ByteBuffer.wrap(value, ConfluentWireFormat.HEADER_BYTES, value.length - ConfluentWireFormat.HEADER_BYTES);
        }

        public GenericRecord row() {
            try {
                return reader.read(null, DecoderFactory.get().binaryDecoder(value, ConfluentWireFormat.HEADER_BYTES,
                        value.length - ConfluentWireFormat.HEADER_BYTES, null));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot decode a lake row the topology wrote: " + e.getMessage(), e);
            }
        }

        public long time() {
            return time;
        }
    }

    private final AtomicLong now = new AtomicLong();
    private final String cdcTable;
    private final PipelineMetrics metrics;
    private final TopologyTestDriver driver;
    private final Map<String, TestInputTopic<byte[], byte[]>> inputs;
    private final TestOutputTopic<String, byte[]> rows;
    private final SchemaRegistryClient registry;
    /** Per schema id, its reader: each row names its schema by id, as on the lake topic. */
    private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new HashMap<>();
    private final TestOutputTopic<String, GenericRecord> deadLetters;
    private final TestOutputTopic<byte[], byte[]> deadLetterRecords;

    private InProcessPipeline(PipelineConfig config, Path stateDir, String table, PipelineMetrics metrics) {
        this.metrics = metrics;
        PipelinePlan plan = PipelinePlan.of(config, now::get);
        LakeTopics topics = plan.topics();
        RefusedRows refused = new RefusedRows();
        boolean events = table.equals(topics.eventsTable());
        this.cdcTable = events ? null : table;
        Topology topology = events ? TributaryTopology.events(new StreamsBuilder(), plan, metrics, refused)
                : TributaryTopology.changes(new StreamsBuilder(), plan, metrics, refused);
        Properties props = new Properties();
        props.putAll(config.streamsProperties());
        props.putAll(new HandlerDeadLetters(config, metrics, refused).streamsProperties());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // The driver hands outputs over in process, with no producer to fence: under exactly-once it would
        // only open and commit a transaction per record (2% of a replay's CPU, JFR). A replay's exactly-once
        // is its own (content-named files, swaps).
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        driver = new TopologyTestDriver(topology, props, Instant.EPOCH);
        ByteArraySerializer bytes = new ByteArraySerializer();
        inputs = new HashMap<>();
        if (events) {
            inputs.put(topics.events(), driver.createInputTopic(topics.events(), bytes, bytes));
            plan.lookupsByTable().keySet().forEach(master -> {
                String topic = topics.cdcTopicsByTable().get(master);
                inputs.put(topic, driver.createInputTopic(topic, bytes, bytes));
            });
        } else {
            String topic = topics.cdcTopicsByTable().get(table);
            if (topic == null) {
                throw new IllegalArgumentException("no CDC topic of table " + table + " in " + PipelineConfig.CDC_TOPICS);
            }
            inputs.put(topic, driver.createInputTopic(topic, bytes, bytes));
        }
        Map<String, String> registryConfig = Map.of(RegistryClientConfig.URL, config.registryUrl());
        AvroDeserializer avro = new AvroDeserializer(registryConfig);
        registry = SchemaRegistryClients.forConfig(registryConfig);
        rows = driver.createOutputTopic(topics.lake(table), new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(topics.lakeDeadLetters(), new StringDeserializer(), avro);
        deadLetterRecords = driver.createOutputTopic(topics.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The pipeline of one lake table: the events table (with the enrichment history of its lookups)
     * or a CDC table. {@code stateDir} holds its state stores (the history, the CDC positions).
     */
    public static InProcessPipeline of(PipelineConfig config, String table, Path stateDir, PipelineMetrics metrics) {
        return new InProcessPipeline(config, stateDir, table, metrics);
    }

    /** The topics this pipeline reads: the table's source topic, and for events the master tables' CDC topics. */
    public java.util.Set<String> topics() {
        return inputs.keySet();
    }

    /** A master change of the enrichment history (events pipelines): applied to the global stores, no output. */
    public void history(Input change) {
        pipe(change);
    }

    /** Processes one source record through the topology; returns what it became. */
    public Output process(Input record) {
        pipe(record);
        List<Row> out = new ArrayList<>();
        for (TestRecord<String, byte[]> r : rows.readRecordsToList()) {
            out.add(new Row(reader(r.value()), r.value(), r.timestamp()));
        }
        List<GenericRecord> dead = new ArrayList<>();
        for (GenericRecord envelope : deadLetters.readValuesToList()) {
            envelope.put("source_partition", record.partition());
            envelope.put("source_offset", record.offset());
            dead.add(envelope);
        }
        deadLetterRecords.readRecordsToList(); // the original bytes stay in the source topic (or the archive)
        return new Output(out, dead);
    }

    private GenericDatumReader<GenericRecord> reader(byte[] value) {
        int id = ConfluentWireFormat.readSchemaId(ByteBuffer.wrap(value));
        return readers.computeIfAbsent(id, i -> new GenericDatumReader<>(registry.schemaById(i)));
    }

    private void pipe(Input record) {
        TestInputTopic<byte[], byte[]> input = inputs.get(record.topic());
        if (input == null) {
            throw new IllegalArgumentException("this pipeline does not read " + record.topic() + "; it reads " + inputs.keySet());
        }
        now.set(record.timestamp());
        Headers headers = record.headers() == null ? new RecordHeaders() : record.headers();
        input.pipeInput(new TestRecord<>(record.key(), record.value(), headers, record.timestamp()));
    }

    /**
     * The {@code _source_pos} a CDC pipeline gave a change it has processed (its binlog position and
     * its sequence number from the de-duplication state), also when the change then became a dead
     * letter; null for an events pipeline, or a change without a readable key or position.
     */
    public String sourcePosition(Input change) {
        if (cdcTable == null || change.value() == null) {
            return null;
        }
        try {
            ChangeEvent event = ChangeEvent.parse(change.value());
            ChangeEvent.Key key = ChangeEvent.Key.of(change.key());
            if (event.position() == null || key == null) {
                return null;
            }
            KeyValueStore<String, String> positions = driver.getKeyValueStore(AppliedPositions.storeName(cdcTable));
            return event.position().sortable(AppliedPositions.appliedSequence(positions, key, event));
        } catch (RecordFailure unreadable) {
            return null;
        }
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        driver.close();
    }
}
