package io.tributary.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
    @Test
    void aBoundedReadNeverWaitsLongerForRecordsThanItsPolls() {
        Map<String, Object> props = KafkaClients.consumerProperties(Map.of("bootstrap.servers", "kafka:9092",
                "security.protocol", "SSL"));

        // At the default 500 ms, every offset lookup and close() behind the last prefetch waited that long.
        assertThat(props).containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) KafkaClients.BOUNDED_WAIT.toMillis());
        assertThat(KafkaClients.BOUNDED_WAIT.toMillis()).isLessThan(ConsumerConfig.DEFAULT_FETCH_MAX_WAIT_MS);
        assertThat(props).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry("bootstrap.servers", "kafka:9092").containsEntry("security.protocol", "SSL");
    }
}
