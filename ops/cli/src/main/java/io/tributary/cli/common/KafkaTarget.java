package io.tributary.cli.common;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The Kafka cluster a command talks to: its bootstrap servers and, for a secured cluster, a client
 * properties file as Kafka's own tools take it ({@code --command-config}): {@code security.protocol},
 * {@code sasl.*}, {@code ssl.*}, with secrets through config providers ({@code ${file:...}},
 * {@code ${env:...}}), never on the command line.
 */
public final class KafkaTarget {
    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS", descriptionKey = "TRIBUTARY_KAFKA_BOOTSTRAP",
            description = "Kafka bootstrap servers (env TRIBUTARY_KAFKA_BOOTSTRAP; ./tributary: the local stack's).")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE", descriptionKey = "TRIBUTARY_KAFKA_CONFIG",
            description = "Kafka client properties for a secured cluster, e.g. security.protocol=SASL_SSL and sasl.* "
                    + "(env TRIBUTARY_KAFKA_CONFIG).")
    Path kafkaConfig;

    /** The client properties: the file's, then the bootstrap servers. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        if (kafkaConfig != null) {
            Properties file = new Properties();
            try (Reader r = Files.newBufferedReader(kafkaConfig)) {
                file.load(r);
            } catch (IOException e) {
                throw new CliError("Cannot read --kafka-config " + kafkaConfig + ": " + e.getMessage(), e);
            }
            file.forEach((k, v) -> props.put((String) k, v));
        }
        props.put("bootstrap.servers", SettingDefaults.require(bootstrapServers, "--bootstrap-servers", "TRIBUTARY_KAFKA_BOOTSTRAP"));
        return props;
    }
}
