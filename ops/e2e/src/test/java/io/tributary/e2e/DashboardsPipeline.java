package io.tributary.e2e;

import io.tributary.dev.demo.PipelineRunner;
import io.tributary.streams.TributaryStreamsApp;
import io.tributary.streams.config.DashboardSettings;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.testing.DebeziumJson;
import io.tributary.testing.DevStack;
import io.tributary.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The streams app with the shipped configuration (so the seed charts' aggregates) on topics of its
 * own, two source types with Japanese display names, and a producer for events and transaction changes.
 */
final class DashboardsPipeline implements AutoCloseable {
    static final String WEB = "ウェブサイト";
    static final String STORE = "実店舗";
    /** Two hours back, so that this hour and the next are past and inside the seed charts' one-hour grace. */
    static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
    final String prefix;
    /** The aggregate topics are this prefix + the aggregate's name. */
    final String dashPrefix;
    private final String events;
    private final String transactions;
    /** The pipeline keys this run sets over the shipped configuration, as the CLI's TRIBUTARY_* settings. */
    final Map<String, String> settings = new LinkedHashMap<>();
    private final int metricsPort = FreePorts.one();
    private final String bootstrap;
    private final KafkaProducer<byte[], byte[]> producer;
    private final TributaryStreamsApp app;

    DashboardsPipeline(DevStack stack) throws Exception {
        prefix = DevStack.uniqueName("dashit").replace('-', '_');
        dashPrefix = prefix + ".dash.";
        events = stack.createTopicNamed(prefix + ".events", 3);
        String masters = stack.createTopicNamed(prefix + ".shop.masters", 1);
        transactions = stack.createTopicNamed(prefix + ".shop.transactions", 1);
        Map<String, String> overrides = Map.of(
                PipelineConfig.EVENTS_TOPIC, events,
                PipelineConfig.CDC_TOPICS, transactions + "," + masters,
                PipelineConfig.LAKE_TOPIC_PREFIX, prefix + ".lake.",
                PipelineConfig.DLQ_TOPIC, prefix + ".dlq",
                PipelineConfig.COMMIT_INTERVAL_MS, "200",
                PipelineConfig.METRICS_PORT, String.valueOf(metricsPort),
                DashboardSettings.TOPIC_PREFIX, dashPrefix);
        PipelineConfig config = PipelineRunner.config(stack.config(), prefix, overrides);
        overrides.forEach((k, v) -> settings.put(PipelineConfig.envName(k), v));
        settings.put(PipelineConfig.envName(PipelineConfig.BOOTSTRAP_SERVERS), stack.config().bootstrapServers());
        settings.put(PipelineConfig.envName(PipelineConfig.SCHEMA_REGISTRY_URL), stack.config().registryUrl());
        settings.put(PipelineConfig.envName(PipelineConfig.APPLICATION_ID), prefix);
        settings.put(PipelineConfig.envName(PipelineConfig.PII_SALT), config.getPassword(PipelineConfig.PII_SALT).value());
        bootstrap = stack.config().bootstrapServers();
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
        long mastersAt = HOUR.minus(1, ChronoUnit.DAYS).toEpochMilli();
        producer.send(new ProducerRecord<>(masters, DebeziumJson.key(1), DebeziumJson.change("masters", "r",
                DebeziumJson.MASTERS, DebeziumJson.master(1, "web", WEB, "online"), mastersAt)));
        producer.send(new ProducerRecord<>(masters, DebeziumJson.key(2), DebeziumJson.change("masters", "r",
                DebeziumJson.MASTERS, DebeziumJson.master(2, "store", STORE, "offline"), mastersAt)));
        producer.flush();
        app = new TributaryStreamsApp(config);
        app.start(); // creates the aggregate topics
    }

    void event(String id, Instant time, long sourceTypeId, String amount, String user) {
        String json = "{\"event_id\":\"" + id + "\",\"event_time\":\"" + time + "\",\"user\":{\"id\":\"" + user + "\"},"
                + "\"source_type_id\":" + sourceTypeId + ",\"amount\":\"" + amount + "\"}";
        producer.send(new ProducerRecord<>(events, user.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)));
    }

    /** A Debezium change of a transactions row (op c, u or d); a delete is followed by its tombstone, as Debezium does. */
    void transaction(String op, long id, String status, String amount, Instant createdAt) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("user_id", "u-" + id);
        row.put("source_type_id", 1);
        row.put("amount", DebeziumJson.decimal(amount, 2));
        row.put("currency", "JPY");
        row.put("status", status);
        row.put("created_at", createdAt.toEpochMilli());
        producer.send(new ProducerRecord<>(transactions, DebeziumJson.key(id),
                DebeziumJson.change("transactions", op, DebeziumJson.TRANSACTIONS, row, Instant.now().toEpochMilli())));
        if (op.equals("d")) {
            producer.send(new ProducerRecord<>(transactions, DebeziumJson.key(id), null));
        }
    }

    void flush() {
        producer.flush();
    }

    /**
     * The partition of the aggregate's repartition topic a bucket key goes to (Kafka Streams' default
     * partitioner on the key's bytes): one task each, with a stream time of its own.
     */
    int partitionOf(String aggregate, String bucketKey) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            String topic = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(prefix) && t.endsWith("dash-" + aggregate + "-repartition")).findFirst().orElseThrow();
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            return BuiltInPartitioner.partitionForKey(bucketKey.getBytes(StandardCharsets.UTF_8), partitions);
        }
    }

    /** The app's tributary_dashboard_late_dropped_total of an aggregate, from its metrics endpoint. */
    long lateDropped(String aggregate) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(l -> l.startsWith("tributary_dashboard_late_dropped_total{")
                && l.contains("aggregate=\"" + aggregate + "\"")).mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Override
    public void close() {
        producer.close();
        app.close();
    }
}
