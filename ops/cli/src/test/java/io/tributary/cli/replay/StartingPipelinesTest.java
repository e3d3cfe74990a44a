package io.tributary.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.streams.config.PipelineConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay's pipelines are built on a thread of their own; closing them releases their state for the next run. */
class StartingPipelinesTest {
    @TempDir
    Path work;

    private static PipelineConfig config() {
        return new PipelineConfig(Map.of(
                PipelineConfig.BOOTSTRAP_SERVERS, "unused:9092",
                PipelineConfig.SCHEMA_REGISTRY_URL, "mock://" + UUID.randomUUID(),
                PipelineConfig.CDC_TOPICS, "tributary.shop.transactions",
                PipelineConfig.PII_SALT, "test-salt"));
    }

    /**
     * A CDC pipeline keeps its de-duplication state in RocksDB, which Kafka Streams opens and releases
     * for the thread that took the task's state directory: the same replay run again in this process
     * (its work dir is the same) opens the same store.
     */
    @Test
    void aReplayRunAgainInTheSameProcessOpensTheStoresTheFirstRunClosed() throws Exception {
        for (int run = 0; run < 2; run++) {
            try (StartingPipelines pipelines = new StartingPipelines(config(), "transactions", 1, work)) {
                assertThat(pipelines.get()).hasSize(1);
            }
        }
    }
}
