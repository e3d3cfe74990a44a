package io.tributary.cli.common;

import java.nio.file.Path;

/**
 * The repository (or unpacked distribution) the CLI runs from, named by the system property
 * {@code tributary.home} that the launcher sets, and where the shipped files lie in it.
 */
public final class TributaryHome {
    public static final String PROPERTY = "tributary.home";

    private TributaryHome() {
    }

    public static Path root() {
        return Path.of(System.getProperty(PROPERTY, "."));
    }

    /** The JSON configs of every connector Tributary deploys. */
    public static Path connectorConfigs() {
        return root().resolve("connectors").resolve("config");
    }

    /** The generated Athena DDL, one {@code <table>.sql} per lake table. */
    public static Path athenaDdl() {
        return root().resolve("ops").resolve("athena");
    }

    /** The streams app's example configuration for the local stack. */
    public static Path pipelineConfig() {
        return root().resolve("streams-app").resolve("config").resolve("pipeline.properties");
    }

    /** The local stack's default data dir. */
    public static Path dataDir() {
        return root().resolve(".tributary");
    }
}
