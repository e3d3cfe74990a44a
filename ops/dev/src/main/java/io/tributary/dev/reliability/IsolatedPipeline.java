package io.tributary.dev.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.connectors.ConnectRestClient;
import io.tributary.cli.connectors.ConnectorFile;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.s3.LocalS3;
import io.tributary.devstack.s3.S3Server;
import io.tributary.schemas.lake.LakeNames;
import io.tributary.streams.config.DashboardSettings;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.testing.FaultInjectingProxy;
import io.tributary.testing.FreePorts;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A whole pipeline of its own on a running local stack, named after a run id so that runs never
 * see each other's data: a database, a Debezium connector and a sink connector deployed from the
 * shipped configs with only names and endpoints changed, its own topics, lake topic prefix and
 * bucket, and the streams app in its own JVM. The sink reaches S3 through a proxy that fails a
 * share of the requests.
 */
public final class IsolatedPipeline implements AutoCloseable {
    public static final String PII_SALT = "fault-run-local-only";

    private final StackConfig stack;
    private final Path connectorDir;
    private final String run;
    private final Path workDir;
    private final ConnectRestClient rest;
    private FaultInjectingProxy s3Proxy;
    private LedgerDatabase database;
    private StreamsAppProcess app;

    public IsolatedPipeline(StackConfig stack, Path connectorDir, String run, Path workDir) {
        this.stack = stack;
        this.connectorDir = connectorDir;
        this.run = run;
        this.workDir = workDir;
        this.rest = new ConnectRestClient(stack.connectUrl());
    }

    public String database() {
        return "fault_" + run;
    }

    public String eventsTopic() {
        return "events." + run;
    }

    public String cdcTopic(String table) {
        return "fault" + run + "." + database() + "." + table;
    }

    public String lakeTopicPrefix() {
        return LakeNames.DEFAULT_TOPIC_PREFIX + run + ".";
    }

    public String bucket() {
        return "fault-" + run;
    }

    public String applicationId() {
        return "fault-" + run;
    }

    public String cdcConnector() {
        return "cdc-" + run;
    }

    public String sinkConnector() {
        return "sink-" + run;
    }

    /** The raw archive of this run's source topics (the same plugin, record.format=raw). */
    public String rawConnector() {
        return "raw-" + run;
    }

    public LedgerDatabase ledger() {
        return database;
    }

    public StreamsAppProcess app() {
        return app;
    }

    public ConnectRestClient rest() {
        return rest;
    }

    /**
     * Creates the database, topics and bucket, starts the streams app, then deploys the connectors;
     * S3 requests of the sink fail at {@code s3FailureRate}.
     */
    public void start(double s3FailureRate) throws Exception {
        database = LedgerDatabase.create(stack, database(), run.hashCode());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(eventsTopic(), 3, (short) 1),
                    new NewTopic(cdcTopic("masters"), 3, (short) 1),
                    new NewTopic(cdcTopic(LedgerDatabase.TABLE), 3, (short) 1))).all().get();
        }
        try (S3Client s3 = LocalS3.client(stack)) {
            S3Server.ensureBucket(s3, bucket());
        }
        java.net.URI s3 = java.net.URI.create(stack.s3Endpoint());
        s3Proxy = new FaultInjectingProxy(s3.getHost(), s3.getPort(), s3FailureRate, run.hashCode());
        app = new StreamsAppProcess("streams-" + run, streamsConfig(), workDir);
        app.start(PII_SALT, Duration.ofMinutes(3));
        for (Map.Entry<String, Map<String, String>> c : connectorConfigs().entrySet()) {
            rest.putConfig(c.getKey(), c.getValue());
        }
        rest.awaitRunning(cdcConnector(), 1, Duration.ofMinutes(2), line -> { });
        rest.awaitRunning(sinkConnector(), -1, Duration.ofMinutes(2), line -> { });
        rest.awaitRunning(rawConnector(), -1, Duration.ofMinutes(2), line -> { });
        awaitFirstCdcOffset(Duration.ofMinutes(2));
    }

    /**
     * Waits until Connect has committed Debezium's first offset. Debezium's at-least-once delivery of
     * every change starts there: a worker killed before it has no offset, so the connector takes a new
     * snapshot, in which changes made in between appear only as reads of their rows' latest state. The
     * load and its faults start after this, as a connector in production is relied on once deployed.
     */
    private void awaitFirstCdcOffset(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode offsets = rest.offsets(cdcConnector());
            if (offsets != null && offsets.path("offsets").size() > 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Debezium committed no offset within " + timeout + ": see the Connect worker's log");
            }
            Thread.sleep(200);
        }
    }

    /** The repository's example pipeline config pointed at this run's names and a free metrics port. */
    Map<String, String> streamsConfig() throws IOException {
        Properties example = new Properties();
        try (Reader r = Files.newBufferedReader(TributaryHome.pipelineConfig())) {
            example.load(r);
        }
        Map<String, String> config = new HashMap<>();
        example.forEach((k, v) -> config.put(k.toString(), v.toString()));
        config.put(PipelineConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        config.put(PipelineConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        config.put(PipelineConfig.APPLICATION_ID, applicationId());
        config.put(PipelineConfig.STATE_DIR, workDir.resolve("streams-state").toString());
        config.put(PipelineConfig.METRICS_PORT, String.valueOf(FreePorts.one()));
        config.put(PipelineConfig.EVENTS_TOPIC, eventsTopic());
        config.put(PipelineConfig.CDC_TOPICS, cdcTopic(LedgerDatabase.TABLE) + "," + cdcTopic("masters"));
        config.put(PipelineConfig.LAKE_TOPIC_PREFIX, lakeTopicPrefix());
        config.put(PipelineConfig.DLQ_TOPIC, "dlq." + run);
        // The shipped seed charts aggregate the shop's tables, which a fault run's database does not have.
        config.keySet().removeIf(key -> key.startsWith(DashboardSettings.AGGREGATE_PREFIX));
        config.put(DashboardSettings.AGGREGATES, "");
        // A SIGKILLed instance leaves its consumer groups after this, not Kafka's 45 s: faster recovery in tests.
        config.put(PipelineConfig.STREAMS_PREFIX + "session.timeout.ms", "10000");
        return config;
    }

    /**
     * The shipped local Debezium, lake sink and raw archive configs with this run's names and
     * endpoints, by connector name (the dashboards' JDBC sink is not part of a fault run).
     */
    public Map<String, Map<String, String>> connectorConfigs() {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (ConnectorFile file : ConnectorFile.load(connectorDir, "local")) {
            if (!file.isDebeziumSource() && !file.isTributarySink()) {
                continue;
            }
            Map<String, String> c = new HashMap<>(file.config());
            if (file.isDebeziumSource()) {
                String db = database();
                c.put("database.include.list", db);
                c.put("table.include.list", db + "\\.masters," + db + "\\." + LedgerDatabase.TABLE + "," + db + "\\.debezium_signal");
                c.put("signal.data.collection", db + ".debezium_signal");
                c.put("topic.prefix", "fault" + run);
                c.put("database.server.id", String.valueOf(6000 + Math.floorMod(run.hashCode(), 1000)));
                c.put("schema.history.internal.kafka.topic", "_schema-history." + run);
                out.put(cdcConnector(), c);
            } else if ("raw".equals(c.get("record.format"))) {
                c.put("topics.regex", String.join("|", java.util.regex.Pattern.quote(eventsTopic()),
                        java.util.regex.Pattern.quote(cdcTopic("masters")), java.util.regex.Pattern.quote(cdcTopic(LedgerDatabase.TABLE))));
                c.put("raw.events.topics", eventsTopic());
                c.put("s3.bucket.name", bucket());
                c.put("s3.endpoint", s3Proxy.url());
                c.put("consumer.override.session.timeout.ms", "10000");
                out.put(rawConnector(), c);
            } else {
                c.put("topics.regex", java.util.regex.Pattern.quote(lakeTopicPrefix()) + ".*");
                c.put("table.name.strip.prefix", lakeTopicPrefix());
                c.put("s3.bucket.name", bucket());
                c.put("s3.endpoint", s3Proxy.url());
                c.put("errors.deadletterqueue.topic.name", "dlq." + run + ".lake-sink");
                // A killed worker's consumers leave the group after this, not the 45 s default.
                c.put("consumer.override.session.timeout.ms", "10000");
                out.put(sinkConnector(), c);
            }
        }
        return out;
    }

    /** What the S3 proxy did: requests forwarded and failed. */
    public String s3Faults() {
        return s3Proxy == null ? "no proxy" : s3Proxy.counts();
    }

    @Override
    public void close() throws IOException {
        if (app != null) {
            app.stop();
        }
        for (String connector : new String[] {cdcConnector(), sinkConnector(), rawConnector()}) {
            try {
                rest.delete(connector);
            } catch (RuntimeException e) {
                // the worker is gone already
            }
        }
        if (database != null) {
            database.close();
        }
        if (s3Proxy != null) {
            s3Proxy.close();
        }
    }
}
