package io.tributary.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaTargetTest {
    @Command(name = "probe")
    static final class Probe {
        @Mixin
        KafkaTarget kafka;
    }

    @TempDir
    Path dir;

    @Test
    void aSecuredClusterGetsTheClientPropertiesFileAsKafkaToolsTakeIt() throws Exception {
        Path config = Files.writeString(dir.resolve("client.properties"), """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=${file:/run/secrets/kafka.properties:sasl.jaas.config}
                config.providers=file
                config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
                """);

        Probe probe = parse("--bootstrap-servers", "b-1.msk:9096", "--kafka-config", config.toString());

        assertThat(probe.kafka.clientProperties()).containsEntry("bootstrap.servers", "b-1.msk:9096")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                // The secret stays a reference: the Kafka client resolves it through its config provider.
                .containsEntry("sasl.jaas.config", "${file:/run/secrets/kafka.properties:sasl.jaas.config}")
                .hasSize(6);
    }

    @Test
    void withoutAFileOnlyTheBootstrapServers() {
        assertThat(parse("--bootstrap-servers", "127.0.0.1:19092").kafka.clientProperties())
                .containsExactly(java.util.Map.entry("bootstrap.servers", "127.0.0.1:19092"));
    }

    @Test
    void aMissingFileOrServersIsOneLineSayingWhat() {
        Probe missing = parse("--bootstrap-servers", "x:9092", "--kafka-config", dir.resolve("nope.properties").toString());
        assertThatThrownBy(() -> missing.kafka.clientProperties()).isInstanceOf(CliError.class)
                .hasMessageStartingWith("Cannot read --kafka-config " + dir.resolve("nope.properties"));
        assertThatThrownBy(() -> parse().kafka.clientProperties()).isInstanceOf(CliError.class)
                .hasMessageStartingWith("--bootstrap-servers is required: pass it, or set TRIBUTARY_KAFKA_BOOTSTRAP");
    }

    private static Probe parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe;
    }
}
