package io.tributary.dev.demo;

import io.tributary.cli.common.TributaryHome;
import io.tributary.devstack.StackConfig;
import io.tributary.streams.config.PipelineConfig;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The configuration of a streams app in this JVM: the repository's example configuration
 * ({@code streams-app/config/pipeline.properties}) pointed at the given stack, as
 * {@code TRIBUTARY_*} overrides would.
 */
public final class PipelineRunner {
    private PipelineRunner() {
    }

    public static PipelineConfig config(StackConfig stack, String applicationId, Map<String, String> overrides)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put(PipelineConfig.envName(PipelineConfig.BOOTSTRAP_SERVERS), stack.bootstrapServers());
        env.put(PipelineConfig.envName(PipelineConfig.SCHEMA_REGISTRY_URL), stack.registryUrl());
        env.put(PipelineConfig.envName(PipelineConfig.APPLICATION_ID), applicationId);
        // Under the stack's data dir: removed with a temporary stack, not left in /tmp run after run.
        env.put(PipelineConfig.envName(PipelineConfig.STATE_DIR),
                Files.createTempDirectory(Files.createDirectories(stack.dataDir().resolve("streams-state")), applicationId).toString());
        env.put(PipelineConfig.envName(PipelineConfig.METRICS_PORT), "0");
        env.put(PipelineConfig.envName(PipelineConfig.PII_SALT), "demo-" + UUID.randomUUID()); // local demo only
        overrides.forEach((k, v) -> env.put(PipelineConfig.envName(k), v));
        return PipelineConfig.load(TributaryHome.pipelineConfig(), env);
    }
}
