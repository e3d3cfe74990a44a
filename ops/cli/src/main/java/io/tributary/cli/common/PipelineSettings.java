package io.tributary.cli.common;

import io.tributary.streams.config.PipelineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Option;

/**
 * The streams app's configuration as the commands that work beside it read it (replay, dashboards
 * rebuild): its properties file ({@code --config}, a picocli mixin) with the TRIBUTARY_* variables
 * over it, exactly as the app loads it.
 */
public final class PipelineSettings {
    @Option(names = "--config", paramLabel = "FILE",
            description = "The streams app's properties file (TRIBUTARY_* variables override it, as for the app; "
                    + "default: streams-app/config/pipeline.properties).")
    Path file;

    /** The configuration of the command's {@code --config} and settings. */
    public PipelineConfig load(Settings settings, Map<String, String> overrides) throws IOException {
        return load(settings, file, overrides);
    }

    /**
     * @param file      the properties file; null for the shipped streams-app/config/pipeline.properties
     * @param overrides pipeline keys set over both (e.g. a longer history retention for a replay)
     */
    public static PipelineConfig load(Settings settings, Path file, Map<String, String> overrides) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String key : PipelineConfig.CONFIG_DEF.names()) {
            String value = settings.get(PipelineConfig.envName(key));
            if (value != null) {
                env.put(PipelineConfig.envName(key), value);
            }
        }
        overrides.forEach((key, value) -> env.put(PipelineConfig.envName(key), value));
        Path properties = file != null ? file : TributaryHome.pipelineConfig();
        if (!Files.isRegularFile(properties)) {
            throw new CliError("no pipeline configuration at " + properties + "; pass the streams app's properties file with --config");
        }
        try {
            return PipelineConfig.load(properties, env);
        } catch (ConfigException e) {
            throw new CliError("the pipeline configuration (" + properties + " and TRIBUTARY_* variables) is not valid: " + e.getMessage());
        }
    }
}
