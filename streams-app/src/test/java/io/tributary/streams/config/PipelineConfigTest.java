package io.tributary.streams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.streams.PipelinePlan;
import io.tributary.streams.TributaryTopology;
import io.tributary.streams.dlq.RefusedRows;
import io.tributary.streams.metrics.PipelineMetrics;
import io.tributary.testing.ConfigReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {
    private static final Path DOC = Path.of("docs/pipeline-config.md");

    @Test
    void fileValuesAreOverriddenByTheEnvironmentAndErrorsNameTheKey(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pipeline.properties"),
                "bootstrap.servers=kafka:9092\nschema.registry.url=http://registry:8081\nevents.topic=from-file\n");
        PipelineConfig config = PipelineConfig.load(file, Map.of("TRIBUTARY_EVENTS_TOPIC", "from-env"));
        assertThat(config.eventsTopic()).isEqualTo("from-env");
        assertThat(config.streamsProperties()).containsEntry("processing.guarantee", "exactly_once_v2");

        assertThatThrownBy(() -> PipelineConfig.load(file, Map.of("TRIBUTARY_METRICS_PORT", "seventy")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.port");
        assertThatThrownBy(() -> PipelineConfig.load(file, Map.of("TRIBUTARY_ENRICHMENT_LOOKUPS", "source")))
                .hasMessageContaining("enrichment.source.columns");
        assertThatThrownBy(() -> PipelineConfig.load(file, Map.of("TRIBUTARY_PII_HASH", "user_ip")))
                .hasMessageContaining("pii.salt").hasMessageContaining("TRIBUTARY_PII_SALT");
    }

    @Test
    void theExampleConfigOfTheLocalStackBuildsTheTopology() throws Exception {
        PipelineConfig config = PipelineConfig.load(Path.of("config/pipeline.properties"), Map.of("TRIBUTARY_PII_SALT", "s"));
        PipelineMetrics metrics = PipelineMetrics.discarding();
        RefusedRows refused = new RefusedRows();
        PipelinePlan plan = PipelinePlan.of(config);
        String description = TributaryTopology.events(new StreamsBuilder(), plan, metrics, refused).describe() + "\n"
                + TributaryTopology.changes(new StreamsBuilder(), plan, metrics, refused).describe();
        assertThat(description).contains("app.events", "tributary.shop.masters", "lake.app_events", "lake.transactions",
                "tributary.dlq", "masters-masters", "enrich-source_type");
    }

    @Test
    void streamsPrefixedKeysPassThroughToKafkaStreams() {
        PipelineConfig config = new PipelineConfig(Map.of("bootstrap.servers", "k:9092", "schema.registry.url", "http://r",
                "streams.num.stream.threads", "2"));
        assertThat(config.streamsProperties()).containsEntry("num.stream.threads", "2");
    }

    @Test
    void transactionsCommitEverySecondUnlessConfigured() {
        Map<String, String> base = Map.of("bootstrap.servers", "k:9092", "schema.registry.url", "http://r");
        assertThat(new PipelineConfig(base).streamsProperties()).containsEntry("commit.interval.ms", 1000L);
        Map<String, String> faster = new java.util.HashMap<>(base);
        faster.put("commit.interval.ms", "100");
        assertThat(new PipelineConfig(faster).streamsProperties()).containsEntry("commit.interval.ms", 100L);
    }

    /** A Kafka Streams key Tributary sets itself would be silently replaced: it is an error that names the key to use. */
    @Test
    void aStreamsKeyTributaryOwnsIsAnErrorNamingItsOwnKey() {
        Map<String, String> props = Map.of("bootstrap.servers", "k:9092", "schema.registry.url", "http://r",
                "streams.commit.interval.ms", "200");
        assertThatThrownBy(() -> new PipelineConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("streams.commit.interval.ms").hasMessageContaining("set commit.interval.ms instead");
    }

    @Test
    void theEventTimeWindowStartsAtAnIsoDateFrom1970() {
        Map<String, String> base = Map.of("bootstrap.servers", "k:9092", "schema.registry.url", "http://r");
        assertThat(new PipelineConfig(base).minEventTimeMs()).isEqualTo(java.time.Instant.parse("2020-01-01T00:00:00Z").toEpochMilli());
        Map<String, String> earlier = new java.util.HashMap<>(base);
        earlier.put("events.min.time", "2015-06-01");
        assertThat(new PipelineConfig(earlier).minEventTimeMs()).isEqualTo(java.time.Instant.parse("2015-06-01T00:00:00Z").toEpochMilli());
        earlier.put("events.min.time", "1969-12-31");
        assertThatThrownBy(() -> new PipelineConfig(earlier)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("events.min.time").hasMessageContaining("1970-01-01 or later");
        earlier.put("events.min.time", "2020-01-01T00:00:00Z");
        assertThatThrownBy(() -> new PipelineConfig(earlier)).hasMessageContaining("expected an ISO date, yyyy-MM-dd");
    }

    /** Failures go to the dead-letter topic through Tributary's handlers; replacing them would lose records or stop the app. */
    @Test
    void theExceptionHandlersAreTributarysOwn() {
        Map<String, String> props = Map.of("bootstrap.servers", "k:9092", "schema.registry.url", "http://r",
                "streams.production.exception.handler", "org.apache.kafka.streams.errors.DefaultProductionExceptionHandler");
        assertThatThrownBy(() -> new PipelineConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("streams.production.exception.handler").hasMessageContaining("dlq.topic");
    }

    /** Regenerate with: mvn -pl streams-app -am test -Dtest=PipelineConfigTest -Dsurefire.failIfNoSpecifiedTests=false -Dtributary.docs.update=true */
    @Test
    void committedReferenceMatchesTheConfigDef() throws Exception {
        String generated = ConfigReference.markdown("Streams pipeline configuration", PipelineConfig.CONFIG_DEF)
                + "\nEvery key can be overridden by the environment variable TRIBUTARY_<KEY> (upper case, dots and dashes as "
                + "underscores), e.g. TRIBUTARY_BOOTSTRAP_SERVERS. Keys starting with `streams.` pass through to Kafka Streams.\n";
        if (Boolean.getBoolean("tributary.docs.update")) {
            Files.writeString(DOC, generated);
        }
        assertThat(Files.readString(DOC)).as("docs/pipeline-config.md is stale; regenerate it with "
                + "mvn -pl streams-app -am test -Dtest=PipelineConfigTest -Dsurefire.failIfNoSpecifiedTests=false -Dtributary.docs.update=true").isEqualTo(generated);
    }
}
