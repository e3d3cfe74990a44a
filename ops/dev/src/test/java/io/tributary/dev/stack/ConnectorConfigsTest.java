package io.tributary.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cli.common.CliError;
import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.connectors.ConnectorFile;
import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.connect.ConnectWorker;
import io.tributary.streams.config.PipelineConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The connector configs in connectors/config/: shape, environments, secrets, and the variables they need. */
class ConnectorConfigsTest {
    private static final Path DIR = TributaryHome.connectorConfigs();
    /** The only keys where the local (MariaDB) Debezium config may differ from production (MySQL); the README explains them. */
    private static final Set<String> DOCUMENTED_DIFFERENCES = Set.of("connector.class", "database.ssl.mode",
            "heartbeat.interval.ms");

    @TempDir
    Path tmp;

    @Test
    void eachEnvironmentGetsOneDebeziumConnectorAndTheSharedSinks() {
        assertThat(ConnectorFile.load(DIR, "local")).extracting(f -> f.path().getFileName().toString())
                .containsExactly("dashboards-postgres.json", "debezium-shop.local.json", "lake-sink.json", "raw-archive.json");
        assertThat(ConnectorFile.load(DIR, "production")).extracting(f -> f.path().getFileName().toString())
                .containsExactly("dashboards-postgres.json", "debezium-shop.production.json", "lake-sink.json",
                        "raw-archive.json");
        for (String environment : ConnectorFile.ENVIRONMENTS) {
            // Debezium's JDBC sink (the dashboards) shares the io.debezium package with the CDC sources.
            assertThat(ConnectorFile.load(DIR, environment)).filteredOn(ConnectorFile::isDebeziumSource)
                    .extracting(ConnectorFile::name).containsExactly("tributary-cdc-shop");
            assertThat(ConnectorFile.load(DIR, environment)).filteredOn(ConnectorFile::isTributarySink)
                    .extracting(ConnectorFile::name).containsExactly("tributary-lake-sink", "tributary-raw-archive");
        }
    }

    /**
     * The JDBC sink reads the aggregate topics the streams app writes, committed rows only, upserts by
     * the key (bucket and group) and deletes on tombstones; its tables are the topics with dots as underscores.
     */
    @Test
    void theDashboardsSinkUpsertsEveryAggregateTopicByKey() throws Exception {
        Map<String, String> sink = ConnectorFile.parse(DIR.resolve("dashboards-postgres.json")).config();
        assertThat(sink).containsEntry("connector.class", ConnectWorker.JDBC_SINK)
                .containsEntry("insert.mode", "upsert").containsEntry("primary.key.mode", "record_key")
                .containsEntry("delete.enabled", "true").containsEntry("consumer.override.isolation.level", "read_committed")
                .containsEntry("value.converter", "org.apache.kafka.connect.json.JsonConverter")
                .containsEntry("value.converter.schemas.enable", "true");
        PipelineConfig pipeline = PipelineConfig.load(TributaryHome.pipelineConfig(), Map.of("TRIBUTARY_PII_SALT", "s"));
        for (var aggregate : pipeline.dashboards().aggregates()) {
            assertThat(pipeline.dashboards().topic(aggregate)).as("topics.regex").matches(sink.get("topics.regex"));
        }
    }

    @Test
    void theLocalDebeziumConfigDiffersFromProductionOnlyWhereDocumented() {
        Map<String, String> local = ConnectorFile.parse(DIR.resolve("debezium-shop.local.json")).config();
        Map<String, String> production = ConnectorFile.parse(DIR.resolve("debezium-shop.production.json")).config();
        Set<String> differing = new HashSet<>(local.keySet());
        differing.addAll(production.keySet());
        differing.removeIf(k -> local.getOrDefault(k, "").equals(production.getOrDefault(k, "")));
        assertThat(differing).isEqualTo(DOCUMENTED_DIFFERENCES);
        assertThat(local.get("connector.class")).isEqualTo(ConnectWorker.DEBEZIUM_CONNECTORS.get(1));
        assertThat(production.get("connector.class")).isEqualTo(ConnectWorker.DEBEZIUM_CONNECTORS.get(0));
        assertThat(production.get("schema.history.internal.kafka.topic")).startsWith("_tributary.schema-history.");
        assertThat(local.get("heartbeat.interval.ms")).as("MariaDB connector heartbeats persist a bad offset (README)")
                .isEqualTo("0");
    }

    /**
     * A connector's own Kafka clients do not inherit the worker's security settings: Debezium's schema
     * history producer and consumer get them from the worker's environment (the classic failure on SASL
     * and IAM clusters otherwise). Production MySQL connections require TLS instead of falling back to plaintext.
     */
    @Test
    void debeziumsSchemaHistoryClientsCarryTheKafkaSecuritySettings() {
        for (String environment : ConnectorFile.ENVIRONMENTS) {
            Map<String, String> cdc = ConnectorFile.load(DIR, environment).stream().filter(ConnectorFile::isDebeziumSource)
                    .findFirst().orElseThrow().config();
            for (String client : java.util.List.of("producer", "consumer")) {
                String prefix = "schema.history.internal." + client + ".";
                assertThat(cdc).as(environment).containsEntry(prefix + "security.protocol", "${env:TRIBUTARY_KAFKA_SECURITY_PROTOCOL}")
                        .containsEntry(prefix + "sasl.mechanism", "${env:TRIBUTARY_KAFKA_SASL_MECHANISM}")
                        .containsEntry(prefix + "sasl.jaas.config", "${env:TRIBUTARY_KAFKA_SASL_JAAS_CONFIG}");
            }
        }
        assertThat(ConnectorFile.parse(DIR.resolve("debezium-shop.production.json")).config())
                .containsEntry("database.ssl.mode", "required");
    }

    @Test
    void everyVariableTheConfigsReadIsSetOnTheLocalWorkerAndInCompose() throws IOException {
        Map<String, String> localEnv = ConnectWorker.environment(StackConfig.defaults(tmp));
        Map<String, Object> composeEnv;
        try (Reader r = Files.newBufferedReader(TributaryHome.root().resolve("compose.yaml"))) {
            Map<String, Map<String, Map<String, Object>>> compose = new Yaml().load(r);
            @SuppressWarnings("unchecked")
            Map<String, Object> env = (Map<String, Object>) compose.get("services").get("connect").get("environment");
            composeEnv = env;
        }
        for (ConnectorFile file : ConnectorFile.load(DIR, "local")) {
            for (String variable : file.envVariables()) {
                assertThat(localEnv).as("%s reads ${env:%s}", file.path(), variable).containsKey(variable);
                assertThat(composeEnv).as("compose.yaml for %s", variable).containsKey(variable);
            }
        }
    }

    /** A connector file's config as the local worker resolves its ${env:...} variables. */
    private Map<String, String> resolved(String file) {
        Map<String, String> env = ConnectWorker.environment(StackConfig.defaults(tmp));
        Map<String, String> resolved = new HashMap<>();
        Pattern placeholder = Pattern.compile("\\$\\{env:([^}]+)}");
        ConnectorFile.parse(DIR.resolve(file)).config().forEach((k, v) -> {
            Matcher m = placeholder.matcher(v);
            resolved.put(k, m.replaceAll(r -> Matcher.quoteReplacement(env.get(r.group(1)))));
        });
        return resolved;
    }

    @Test
    void theSinkConfigIsValidOnceTheWorkerResolvesItsVariables() {
        Map<String, String> resolved = resolved("lake-sink.json");
        S3SinkConfig config = new S3SinkConfig(resolved);
        assertThat(config.bucket()).isEqualTo(StackConfig.DEFAULT_BUCKET);
        assertThat(config.rotateScheduleIntervalMs()).as("freshness flush").isPositive();
        assertThat(resolved).containsEntry("consumer.override.isolation.level", "read_committed");
    }

    /**
     * The raw archive reads the source topics the streams app reads and files each record under the
     * hour the app gives its row: its event topic and time settings are the example pipeline's.
     */
    @Test
    void theRawArchiveArchivesThePipelinesSourcesByThePipelinesEventTime() throws IOException {
        Map<String, String> resolved = resolved("raw-archive.json");
        S3SinkConfig config = new S3SinkConfig(resolved);
        assertThat(config.rawFormat()).isTrue();
        assertThat(S3SinkConfig.connectorProblems(resolved)).isEmpty();
        assertThat(config.topicsDir()).isEqualTo(io.tributary.schemas.lake.LakeNames.DEFAULT_TOPICS_DIR + "/_raw");
        java.util.Properties pipeline = new java.util.Properties();
        try (Reader r = Files.newBufferedReader(TributaryHome.pipelineConfig())) {
            pipeline.load(r);
        }
        Pattern topics = Pattern.compile(resolved.get("topics.regex"));
        assertThat(pipeline.getProperty("events.topic")).matches(topics).isEqualTo(resolved.get("raw.events.topics"));
        for (String cdc : pipeline.getProperty("cdc.topics").split(",")) {
            assertThat(cdc).matches(topics);
        }
        assertThat(resolved.get("raw.events.time.field")).isEqualTo(pipeline.getProperty("events.time.field"));
        assertThat(pipeline.getProperty("events.min.time")).as("both default").isNull();
        assertThat(resolved).doesNotContainKeys("raw.events.min.time", "raw.events.max.future.ms");
    }

    @Test
    void literalSecretsAndMalformedFilesAreRefusedNamingTheProblem() throws IOException {
        Path secret = Files.writeString(tmp.resolve("bad.json"),
                "{\"name\":\"x\",\"config\":{\"database.password\":\"hunter2\"}}");
        assertThatThrownBy(() -> ConnectorFile.parse(secret)).isInstanceOf(CliError.class)
                .hasMessageContaining("database.password").hasMessageContaining("config providers");
        Path shape = Files.writeString(tmp.resolve("shape.json"), "{\"connector.class\":\"x\"}");
        assertThatThrownBy(() -> ConnectorFile.parse(shape)).hasMessageContaining("\"name\"");
        Path broken = Files.writeString(tmp.resolve("broken.json"), "{");
        assertThatThrownBy(() -> ConnectorFile.parse(broken)).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ConnectorFile.load(DIR, "staging")).hasMessageContaining("Unknown environment");
    }
}
