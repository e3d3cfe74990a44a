package io.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardConfigTest {
    private static final String DEMO_HASH = "TRIBUTARY_DASHBOARD_USER_DEMO_PASSWORD_HASH";
    private static final String HASH = "pbkdf2-sha256$600000$c2FsdA$aGFzaA";
    @TempDir
    Path dir;

    /** A secured cluster: kafka.* keys reach the aggregate reader unprefixed; the secret comes from the environment. */
    @Test
    void kafkaClientSettingsPassThroughWithTheirSecretFromTheEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("dashboard.properties"), """
                bootstrap.servers=b-1.msk:9096,b-2.msk:9096
                dashboard.users=demo
                kafka.security.protocol=SASL_SSL
                kafka.sasl.mechanism=SCRAM-SHA-512
                kafka.sasl.jaas.config=
                """);
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"dash\" password=\"p\";";

        DashboardConfig config = DashboardConfig.load(file, Map.of("TRIBUTARY_KAFKA_SASL_JAAS_CONFIG", jaas, DEMO_HASH, HASH));

        assertThat(config.kafkaClientProperties()).containsOnly(Map.entry("bootstrap.servers", "b-1.msk:9096,b-2.msk:9096"),
                Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.jaas.config", jaas));
    }

    @Test
    void aPlainClusterNeedsOnlyItsBrokers() throws Exception {
        Path file = Files.writeString(dir.resolve("dashboard.properties"), "bootstrap.servers=127.0.0.1:19092\ndashboard.users=demo\n");

        assertThat(DashboardConfig.load(file, Map.of(DEMO_HASH, HASH)).kafkaClientProperties())
                .containsOnly(Map.entry("bootstrap.servers", "127.0.0.1:19092"));
    }
}
