package io.tributary.streams.dashboards;

import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.registry.SchemaRegistryClients;
import io.tributary.schemas.serde.AvroSerializer;
import io.tributary.streams.PipelinePlan;
import io.tributary.streams.TributaryTopology;
import io.tributary.streams.config.Aggregate;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.metrics.PipelineMetrics;
import io.tributary.testing.TestDirs;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The aggregates app on TopologyTestDriver: lake rows in (as the events and changes apps write them,
 * Confluent-wire Avro through an in-memory registry), aggregate rows out, decoded with the same
 * JsonConverter the JDBC sink uses. {@link #latest} is what a table upserted by key holds.
 */
final class DashboardFixture implements AutoCloseable {
    static final Map<String, String> AGGREGATES = Map.ofEntries(
            Map.entry("dashboards.aggregates", "events_per_hour,events_per_day,transactions_per_status"),
            Map.entry("dashboards.display.zone", "Asia/Tokyo"),
            Map.entry("dashboards.aggregate.events_per_hour.table", "app_events"),
            Map.entry("dashboards.aggregate.events_per_hour.bucket", "hour"),
            Map.entry("dashboards.aggregate.events_per_hour.group.by", "source_type_name"),
            Map.entry("dashboards.aggregate.events_per_hour.measures",
                    "count:events,sum(amount):amount,min(amount),max(amount),approx_distinct(user_id):users"),
            Map.entry("dashboards.aggregate.events_per_hour.grace.ms", "600000"),
            Map.entry("dashboards.aggregate.events_per_day.table", "app_events"),
            Map.entry("dashboards.aggregate.events_per_day.bucket", "day"),
            Map.entry("dashboards.aggregate.events_per_day.group.by", "source_type_name"),
            Map.entry("dashboards.aggregate.transactions_per_status.table", "transactions"),
            Map.entry("dashboards.aggregate.transactions_per_status.bucket", "day"),
            Map.entry("dashboards.aggregate.transactions_per_status.time.column", "created_at"),
            Map.entry("dashboards.aggregate.transactions_per_status.group.by", "status"),
            Map.entry("dashboards.aggregate.transactions_per_status.measures", "count:transactions,sum(amount):amount"));

    final String registryUrl = "mock://" + UUID.randomUUID();
    final PipelineMetrics metrics = PipelineMetrics.discarding();
    final PipelinePlan plan;
    private final Path stateDir;
    final TopologyTestDriver driver;
    final TestInputTopic<String, GenericRecord> events;
    final TestInputTopic<String, GenericRecord> transactions;
    private final Map<String, TestOutputTopic<String, Struct>> outputs = new HashMap<>();
    private final Map<String, Map<String, Struct>> tables = new HashMap<>();
    private final Schema eventSchema = Contracts.schema(Contracts.APP_EVENTS);
    private final Schema transactionSchema = Contracts.schema(Contracts.TRANSACTIONS);

    DashboardFixture() {
        this(Map.of());
    }

    DashboardFixture(Map<String, String> overrides) {
        Map<String, Object> props = new HashMap<>(AGGREGATES);
        props.put(PipelineConfig.BOOTSTRAP_SERVERS, "unused:9092");
        props.put(PipelineConfig.SCHEMA_REGISTRY_URL, registryUrl);
        props.put(PipelineConfig.CDC_TOPICS, "tributary.shop.transactions,tributary.shop.masters");
        props.putAll(overrides);
        PipelineConfig config = new PipelineConfig(props);
        plan = PipelinePlan.of(config);
        Properties streams = new Properties();
        streams.putAll(config.streamsProperties());
        Topology topology = TributaryTopology.dashboards(new StreamsBuilder(), plan, metrics);
        stateDir = TestDirs.fresh("tributary-ttd-"); // only once the topology built: a refused configuration leaves none behind
        streams.put("state.dir", stateDir.toString());
        driver = new TopologyTestDriver(topology, streams);
        AvroSerializer avro = new AvroSerializer(Map.of("schema.registry.url", registryUrl), false);
        events = driver.createInputTopic("lake.app_events", new StringSerializer(), avro);
        transactions = driver.createInputTopic("lake.transactions", new StringSerializer(), avro);
        for (Aggregate a : plan.dashboards().aggregates()) {
            ConnectRows rows = new ConnectRows(a);
            outputs.put(a.name(), driver.createOutputTopic(plan.dashboards().topic(a), rows.keySerde().deserializer(),
                    rows.valueSerde().deserializer()));
        }
    }

    /** An app_events lake row at {@code time} (also its record timestamp, as the events app writes it). */
    void event(String id, Instant time, String sourceTypeName, String amount, String user) {
        GenericRecord row = new GenericData.Record(eventSchema);
        row.put("event_id", id);
        row.put("event_time", time.toEpochMilli());
        row.put("source_type_name", sourceTypeName);
        row.put("user_id", user);
        row.put("amount", amount == null ? null : decimal(eventSchema, "amount", amount));
        row.put("extra", Map.of());
        row.put("_enrichment", "ok");
        events.pipeInput(new TestRecord<>(user, row, time));
    }

    /** A transactions changelog row (op c, u, r or d) committed at {@code committed}. */
    void transaction(String op, long id, String status, String amount, Instant createdAt, Instant committed) {
        GenericRecord row = new GenericData.Record(transactionSchema);
        row.put("id", id);
        row.put("user_id", "u-1");
        row.put("amount", decimal(transactionSchema, "amount", amount));
        row.put("currency", "JPY");
        row.put("status", status);
        row.put("created_at", createdAt.toEpochMilli());
        row.put("_op", op);
        row.put("_source_ts", committed.toEpochMilli());
        row.put("_deleted", "d".equals(op));
        row.put("_source_pos", String.format("%020d", committed.toEpochMilli()));
        transactions.pipeInput(new TestRecord<>("{\"id\":" + id + "}", row, committed));
    }

    /** Lets the emit interval pass, so that changed totals are sent on. */
    void emit() {
        driver.advanceWallClockTime(Duration.ofMillis(200));
    }

    /** What a table upserted by key (deleted by tombstones) holds now: bucket key to row. */
    Map<String, Struct> latest(String aggregate) {
        Map<String, Struct> table = tables.computeIfAbsent(aggregate, a -> new LinkedHashMap<>());
        for (var record : outputs.get(aggregate).readRecordsToList()) {
            if (record.value() == null) {
                table.remove(record.key());
            } else {
                table.put(record.key(), record.value());
            }
        }
        return table;
    }

    /** The rows of an aggregate by bucket start and first group value, e.g. "2026-12-01T14:00:00Z ウェブ". */
    Map<String, Struct> byLabel(String aggregate) {
        Map<String, Struct> out = new LinkedHashMap<>();
        latest(aggregate).forEach((k, v) -> {
            BucketKey key = BucketKey.decode(k);
            out.put(io.tributary.schemas.dashboards.AggregateRows.time(key.start()) + (key.groups().isEmpty() ? "" : " " + key.groups().get(0)), v);
        });
        return out;
    }

    double counter(String name, String aggregate) {
        return metrics.registry().get(name).tag("aggregate", aggregate).counter().count();
    }

    private static ByteBuffer decimal(Schema schema, String field, String value) {
        Schema decimal = schema.getField(field).schema().getTypes().get(1);
        LogicalTypes.Decimal type = (LogicalTypes.Decimal) decimal.getLogicalType();
        return new Conversions.DecimalConversion().toBytes(new BigDecimal(value).setScale(type.getScale()), decimal, type);
    }

    List<String> aggregates() {
        return plan.dashboards().aggregates().stream().map(Aggregate::name).toList();
    }

    @Override
    public void close() {
        driver.close();
        SchemaRegistryClients.dropMock(registryUrl);
        TestDirs.delete(stateDir);
    }
}
