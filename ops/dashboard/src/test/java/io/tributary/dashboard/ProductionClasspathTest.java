package io.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ProductionClasspath;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The dashboard service ships without the dev stack, and with one Jetty: Javalin's. */
class ProductionClasspathTest {
    private static final Path LIST = Path.of("target", "runtime-dependencies.txt");

    @Test
    void theRuntimeClasspathHoldsNoDevStackServer() throws IOException {
        assertThat(ProductionClasspath.artifacts(LIST)).as("the runtime dependencies in %s", LIST)
                .contains("io.tributary:tributary-schemas", "io.javalin:javalin", "org.webjars.npm:uplot",
                        "org.apache.kafka:kafka-clients");
        assertThat(ProductionClasspath.devOnly(LIST)).as("dev-stack artifacts on the dashboard's runtime classpath").isEmpty();
        assertThat(java.nio.file.Files.readAllLines(LIST)).filteredOn(l -> l.contains("org.eclipse.jetty"))
                .as("Jetty artifacts, all of Javalin's 12.1").isNotEmpty().allMatch(l -> l.contains(":12.1."));
    }
}
