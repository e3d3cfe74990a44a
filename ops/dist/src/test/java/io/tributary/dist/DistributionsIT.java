package io.tributary.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.cli.connectors.ConnectRestClient;
import io.tributary.devstack.connect.ConnectWorker;
import io.tributary.schemas.serde.AvroDeserializer;
import io.tributary.testing.DebeziumJson;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import io.tributary.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three shipped archives, unpacked into a temp dir, run the pipeline on the local stack with
 * nothing from the checkout: the Connect worker loads the sink from the unpacked plugin archive, the
 * streams app runs from its bin/ with the shipped config/pipeline.properties and TRIBUTARY_*
 * overrides, and the unpacked CLI deploys the shipped sink config and queries what landed in S3.
 * The app's /metrics and the worker's JMX exporter (with a Debezium connector streaming) serve every
 * metric the alert rules and the dashboard of ops/monitoring read.
 */
@ExtendWith(DevStackExtension.class)
class DistributionsIT {
    private static final int VALID = 98;
    private static final int MALFORMED = 2;
    private static final Instant BASE = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    @TempDir
    static Path unpacked;

    private static Path app;
    private static Path cli;

    /** Before the stack starts, so its worker's plugin.path is the unpacked plugin archive. */
    @BeforeAll
    static void unpack() throws Exception {
        Path plugins = Files.createDirectories(unpacked.resolve("plugins"));
        run(List.of("unzip", "-q", Distributions.CONNECT_PLUGIN.archive().toString(), "-d", plugins.toString()), unpacked);
        run(List.of("tar", "xzf", Distributions.STREAMS_APP.archive().toString()), unpacked);
        run(List.of("tar", "xzf", Distributions.CLI.archive().toString()), unpacked);
        String version = System.getProperty("tributary.version");
        app = unpacked.resolve("tributary-streams-app-" + version);
        cli = unpacked.resolve("tributary-cli-" + version);
        Path plugin = plugins.resolve("tributary-tributary-s3-sink-" + version);
        assertThat(new ObjectMapper().readTree(plugin.resolve("manifest.json").toFile()).path("version").asText()).isEqualTo(version);
        System.setProperty("tributary.it.plugin.dirs", plugins.toString());
    }

    @Test
    void unpackedAppSinkAndCliRunThePipeline(DevStack stack) throws Exception {
        stack.createTopicNamed("app.events", 3);
        stack.createTopicNamed("tributary.shop.masters", 1);
        stack.createTopicNamed("tributary.shop.transactions", 1);
        int metricsPort = FreePorts.pick(1)[0];
        Map<String, String> appEnv = new HashMap<>(Map.of(
                "TRIBUTARY_BOOTSTRAP_SERVERS", stack.config().bootstrapServers(),
                "TRIBUTARY_SCHEMA_REGISTRY_URL", stack.config().registryUrl(),
                "TRIBUTARY_PII_SALT", "distributions-it",
                "TRIBUTARY_METRICS_PORT", String.valueOf(metricsPort),
                "TRIBUTARY_STATE_DIR", unpacked.resolve("state").toString(),
                "TRIBUTARY_COMMIT_INTERVAL_MS", "200"));
        // The masters and events are in Kafka before the app starts, so each event finds its master.
        Set<String> valid = send(stack);
        Process streams = start(List.of(app.resolve("bin/tributary-streams-app").toString(),
                app.resolve("config/pipeline.properties").toString()), appEnv, logFile("streams-app"));
        try {
            assertLakeAndDeadLetters(stack, valid);
            // All of the app's Kafka Streams apps RUNNING: the dashboards app may still be creating its
            // internal topics when the first lake rows are in, so wait for it as an operator's check would.
            String metrics = scrapeUntil("http://127.0.0.1:" + metricsPort + "/metrics", "tributary_streams_running 1.0\n",
                    Duration.ofSeconds(90));
            Files.writeString(logFile("streams-app-metrics"), metrics);
            assertThat(metrics).contains("tributary_build_info{component=\"streams-app\",version=\""
                    + System.getProperty("tributary.version") + "\"} 1\n", "tributary_streams_running 1.0\n");
            assertThat(MonitoringKit.served(metrics)).as("the metrics the alert rules and the dashboard read, as the running app serves them")
                    .containsAll(MonitoringKit.exportedMetricNames().get(MonitoringKit.Source.APP));

            Path sinkOnly = Files.createDirectories(unpacked.resolve("sink-only"));
            Files.copy(cli.resolve("connectors/config/lake-sink.json"), sinkOnly.resolve("lake-sink.json"));
            Map<String, String> cliEnv = Map.of("AWS_ACCESS_KEY_ID", "tributary", "AWS_SECRET_ACCESS_KEY", "tributary-local-only",
                    "AWS_REGION", "us-east-1");
            String applied = tributary(cliEnv, "connectors", "apply", "--dir", sinkOnly.toString(),
                    "--connect-url", stack.config().connectUrl());
            assertThat(applied).contains("tributary-lake-sink (lake-sink.json): created", "tributary-lake-sink: connector RUNNING");

            String expected = "n,ids\n" + VALID + "," + VALID + "\n";
            String counted = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while ((counted == null || !counted.contains(expected)) && System.nanoTime() < deadline) {
                Thread.sleep(3000);
                counted = tributaryAllowingFailure(cliEnv, "query", "--csv", "--bucket", stack.config().bucket(),
                        "--s3-endpoint", stack.config().s3Endpoint(), "--work-dir", unpacked.resolve("cli-work").toString(),
                        "SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM app_events");
            }
            assertThat(counted).as("the lake as the unpacked CLI reads it").contains(expected);

            assertReplayMapsTheClassesItsFirstRunRecorded(stack, appEnv);
            assertConnectWorkerExportsTheKitsMetrics(stack);
        } finally {
            streams.destroy();
            assertThat(streams.waitFor(30, TimeUnit.SECONDS)).as("the app stops on SIGTERM").isTrue();
        }
    }

    /**
     * The unpacked CLI's `replay` of the events' hour, twice, with the app's config: the first replaces the
     * hour and records the classes it loaded into the launcher's class-data archive, the second finds the
     * same objects (unchanged) and loads the replay's own classes (the in-process pipeline, not only the
     * CLI's) from the archive.
     */
    private static void assertReplayMapsTheClassesItsFirstRunRecorded(DevStack stack, Map<String, String> appEnv) throws Exception {
        Map<String, String> env = new HashMap<>(appEnv);
        env.remove("TRIBUTARY_METRICS_PORT");
        env.putAll(ConnectWorker.environment(stack.config()));
        env.put("TRIBUTARY_WORK_DIR", unpacked.resolve("replay-work").toString());
        env.put("TRIBUTARY_CDS_DIR", unpacked.resolve("cds").toString());
        env.put("TRIBUTARY_JAVA_OPTS", "-Xlog:class+load=info");
        String hour = HOUR.format(BASE);
        String[] replay = {"replay", "--table", "app_events", "--from", hour, "--to", HOUR.format(BASE.plus(Duration.ofHours(1))),
                "--config", app.resolve("config/pipeline.properties").toString(), "--wait", "2m"};
        String pipelineClass = "io.tributary.streams.replay.InProcessPipeline source: ";
        String first = tributary(env, replay);
        assertThat(first).contains("1 of 1 hours replaced").contains(pipelineClass).doesNotContain(pipelineClass + "shared objects file");
        try (var archives = Files.list(unpacked.resolve("cds"))) {
            assertThat(archives.map(a -> a.getFileName().toString()).toList()).singleElement().asString().matches("replay-\\d+\\.jsa");
        }
        String second = tributary(env, replay);
        assertThat(second).contains("0 of 1 hours replaced, 1 unchanged").contains(pipelineClass + "shared objects file (top)");
    }

    /**
     * With the sink uploading and a Debezium connector (the shipped local config, on a database of its own)
     * streaming, the worker's JMX exporter serves every metric the alert rules and the dashboard read from it.
     */
    private static void assertConnectWorkerExportsTheKitsMetrics(DevStack stack) throws Exception {
        String database = stack.createDatabase("metrics");
        try (Connection c = stack.jdbc(database); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE probe (id INT PRIMARY KEY, note VARCHAR(20))");
            st.execute("INSERT INTO probe VALUES (1, 'snapshot')");
        }
        Map<String, String> cdc = new HashMap<>();
        new ObjectMapper().readTree(cli.resolve("connectors/config/debezium-shop.local.json").toFile()).path("config")
                .fields().forEachRemaining(e -> cdc.put(e.getKey(), e.getValue().asText()));
        cdc.remove("signal.data.collection");
        cdc.putAll(Map.of("database.include.list", database, "table.include.list", database + "\\.probe",
                "topic.prefix", database, "database.server.id", "5399", "schema.history.internal.kafka.topic", "_schema-history." + database));
        ConnectRestClient rest = new ConnectRestClient(stack.config().connectUrl());
        rest.putConfig("cdc-" + database, cdc);
        rest.awaitRunning("cdc-" + database, 1, Duration.ofMinutes(2), line -> { });
        // Debezium's streaming metrics of this connector: debezium_metrics_X{context="streaming",name=<topic.prefix>,plugin=...}.
        String labels = "\\{context=\"streaming\",name=\"" + database + "\",plugin=\"[a-z]+\"} ";
        String metrics = awaitConnectMetric(stack, "debezium_metrics_Connected" + labels + "1\\.0");
        try (Connection c = stack.jdbc(database); Statement st = c.createStatement()) {
            st.execute("INSERT INTO probe VALUES (2, 'streamed'), (3, 'streamed')");
        }
        // TotalNumberOfEventsSeen counts every binlog event read; the per-operation counters count change events.
        metrics = awaitConnectMetric(stack, "debezium_metrics_TotalNumberOfCreateEventsSeen" + labels + "2\\.0");
        assertThat(metrics).containsPattern("debezium_metrics_MilliSecondsBehindSource" + labels + "[0-9]")
                .containsPattern("tributary_sink_uploads_total\\{connector=\"tributary-lake-sink\",task=\"[0-2]\"} [1-9]")
                .contains("tributary_sink_version{connector=\"tributary-lake-sink\",task=\"0\",version=\""
                        + System.getProperty("tributary.version") + "\"} 1.0");
        assertThat(MonitoringKit.served(metrics)).as("the metrics the alert rules and the dashboard read, as the worker serves them")
                .containsAll(MonitoringKit.exportedMetricNames().get(MonitoringKit.Source.CONNECT));
    }

    /** The worker's scrape once a line matches {@code regex} (within 90 s; fails with the last scrape's file name). */
    private static String awaitConnectMetric(DevStack stack, String regex) throws Exception {
        Pattern line = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String metrics;
        do {
            Thread.sleep(1000);
            metrics = scrape(stack.config().connectMetricsUrl());
        } while (!line.matcher(metrics).find() && System.nanoTime() < deadline);
        Files.writeString(logFile("connect-metrics"), metrics);
        assertThat(line.matcher(metrics).find()).as("the worker serves a line matching %s (last scrape in target/dist-it-logs)", regex)
                .isTrue();
        return metrics;
    }

    /** The metrics page once it shows {@code line}, or as it is when the time is up (the assertion then says what it lacks). */
    private static String scrapeUntil(String url, String line, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String metrics = scrape(url);
        while (!metrics.contains(line) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            metrics = scrape(url);
        }
        return metrics;
    }

    private static String scrape(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static Set<String> send(DevStack stack) throws Exception {
        Set<String> valid = new HashSet<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.config().bootstrapServers(),
                "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("tributary.shop.masters", DebeziumJson.key(1), DebeziumJson.change("masters", "r",
                    DebeziumJson.MASTERS, DebeziumJson.master(1, "web", "ウェブ", "online"), BASE.toEpochMilli())));
            producer.flush();
            for (int i = 0; i < VALID + MALFORMED; i++) {
                String json = i < MALFORMED ? "{broken " + i
                        : "{\"event_id\":\"d-" + i + "\",\"event_time\":" + BASE.plusSeconds(i).toEpochMilli()
                                + ",\"user\":{\"id\":\"u-" + i + "\",\"email\":\"u" + i + "@example.com\"},\"source_type_id\":1}";
                if (i >= MALFORMED) {
                    valid.add("d-" + i);
                }
                producer.send(new ProducerRecord<>("app.events", ("u-" + i).getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return valid;
    }

    /** Exactly the valid events in lake.app_events, enriched and without the dropped e-mail; the broken ones dead-lettered. */
    private static void assertLakeAndDeadLetters(DevStack stack, Set<String> valid) {
        Map<String, Object> consumer = Map.of("bootstrap.servers", stack.config().bootstrapServers(), "group.id",
                DevStack.uniqueName("dist-verify"), "auto.offset.reset", "earliest", "isolation.level", "read_committed");
        try (KafkaConsumer<String, GenericRecord> lake = new KafkaConsumer<>(consumer, new StringDeserializer(),
                new AvroDeserializer(Map.of("schema.registry.url", stack.config().registryUrl())));
                KafkaConsumer<String, byte[]> dlq = new KafkaConsumer<>(consumer, new StringDeserializer(), new ByteArrayDeserializer())) {
            lake.subscribe(List.of("lake.app_events"));
            dlq.subscribe(List.of("tributary.dlq"));
            List<GenericRecord> rows = new ArrayList<>();
            List<String> dead = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (rows.size() + dead.size() < VALID + MALFORMED && System.nanoTime() < deadline) {
                lake.poll(Duration.ofMillis(200)).forEach(r -> rows.add(r.value()));
                dlq.poll(Duration.ofMillis(50)).forEach(r -> dead.add(new String(r.value(), StandardCharsets.UTF_8)));
            }
            assertThat(rows.stream().map(r -> r.get("event_id").toString())).containsExactlyInAnyOrderElementsOf(valid);
            assertThat(rows).allSatisfy(r -> {
                assertThat(r.get("source_type_name")).hasToString("ウェブ");
                assertThat(r.getSchema().getField("user_email") == null || r.get("user_email") == null)
                        .as("pii.drop of the shipped config removes user_email").isTrue();
            });
            assertThat(dead).containsExactlyInAnyOrder("{broken 0", "{broken 1");
        }
    }

    /** Runs the unpacked CLI; fails with its output unless it exits 0. */
    private static String tributary(Map<String, String> env, String... args) throws Exception {
        String out = tributaryAllowingFailure(env, args);
        assertThat(out).as("tributary %s exits 0 (its output is in the test log)", String.join(" ", args)).isNotNull();
        return out;
    }

    /** Runs the unpacked CLI: what it printed on stdout, or null unless it exited 0. */
    private static String tributaryAllowingFailure(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(cli.resolve("bin/tributary").toString()));
        command.addAll(List.of(args));
        Path log = logFile("cli");
        Process p = start(command, env, log);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("tributary %s finishes", String.join(" ", args)).isTrue();
        String out = Files.readString(log);
        // without the JVM's class loading log, which a test may ask for (thousands of lines)
        System.out.println("$ tributary " + String.join(" ", args) + " -> exit " + p.exitValue() + "\n"
                + String.join("\n", out.lines().filter(l -> !l.contains("[class,load]")).toList()) + "\n"
                + Files.readString(Path.of(log + ".err")));
        return p.exitValue() == 0 ? out : null;
    }

    /**
     * A process with only PATH, JAVA_HOME and the given variables in its environment, run in the temp
     * dir; its stdout goes to {@code log}, its stderr to {@code log}.err.
     */
    private static Process start(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(unpacked.toFile())
                .redirectOutput(log.toFile()).redirectError(Path.of(log + ".err").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void run(List<String> command, Path dir) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
    }

    private static Path logFile(String name) throws IOException {
        return Files.createTempFile(Files.createDirectories(Path.of("target/dist-it-logs")), name, ".log");
    }
}
