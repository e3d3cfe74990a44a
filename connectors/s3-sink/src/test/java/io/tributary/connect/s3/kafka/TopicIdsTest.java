package io.tributary.connect.s3.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.connect.s3.config.S3SinkConfigTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicIdsTest {
    @Test
    void theAdminClientReachesTheBrokersTheWayTheSinksConsumerDoes() {
        Map<String, String> props = S3SinkConfigTest.minimal();
        props.put(S3SinkConfig.KAFKA_BOOTSTRAP, "kafka-1:9093");
        props.put("consumer.override.security.protocol", "SASL_SSL");
        props.put("consumer.override.sasl.mechanism", "SCRAM-SHA-512");
        props.put("consumer.override.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("consumer.override.ssl.truststore.location", "/etc/kafka/truststore.jks");
        props.put("consumer.override.request.timeout.ms", "20000");
        props.put("consumer.override.isolation.level", "read_committed");
        props.put("consumer.override.max.poll.records", "5000");
        props.put("consumer.override.client.id", "sink-consumer");
        props.put("consumer.override.bootstrap.servers", "ignored:9092");

        assertThat(TopicIds.adminConfig(new S3SinkConfig(props))).isEqualTo(Map.of(
                "bootstrap.servers", "kafka-1:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/kafka/truststore.jks",
                "request.timeout.ms", "20000"));
    }

    @Test
    void withoutKafkaBootstrapServersTheConsumersBootstrapOverrideIsUsed() {
        Map<String, String> props = S3SinkConfigTest.minimal();
        props.put("consumer.override.bootstrap.servers", "kafka-2:9092");
        assertThat(TopicIds.adminConfig(new S3SinkConfig(props))).containsExactly(Map.entry("bootstrap.servers", "kafka-2:9092"));
    }
}
