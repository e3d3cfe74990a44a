package io.tributary.cli.connectors;

import io.tributary.cli.common.SettingDefaults;
import picocli.CommandLine.Option;

/** Which Connect worker and Kafka cluster a connectors command talks to. */
public final class ConnectTarget {
    @Option(names = "--connect-url", paramLabel = "URL", descriptionKey = "TRIBUTARY_CONNECT_URL",
            description = "Connect REST URL (env TRIBUTARY_CONNECT_URL; ./tributary: the local stack's).")
    String connectUrl;

    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS", descriptionKey = "TRIBUTARY_KAFKA_BOOTSTRAP",
            description = "Kafka bootstrap servers, for sink lag (env TRIBUTARY_KAFKA_BOOTSTRAP; ./tributary: the local stack's).")
    String bootstrapServers;

    public String connectUrl() {
        return SettingDefaults.require(connectUrl, "--connect-url", "TRIBUTARY_CONNECT_URL");
    }

    public String bootstrapServers() {
        return SettingDefaults.require(bootstrapServers, "--bootstrap-servers", "TRIBUTARY_KAFKA_BOOTSTRAP");
    }
}
