package io.tributary.connect.s3.kafka;

import io.tributary.connect.s3.config.S3SinkConfig;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Reads topic ids (the id Kafka gives each incarnation of a topic) for the partition markers. A
 * sink task sees only its connector's config, not the worker's, and Connect gives it no access to
 * its consumer, so it asks the brokers with its own Admin client: {@code kafka.bootstrap.servers}
 * (or the consumer's bootstrap override), with every admin-client setting among the connector's
 * {@code consumer.override.*} (security protocol, SASL, TLS, timeouts), so that this client reaches
 * the brokers the way the task's consumer does.
 */
public final class TopicIds implements AutoCloseable {
    private final Admin admin;
    private final String brokers;

    private TopicIds(Admin admin, String brokers) {
        this.admin = admin;
        this.brokers = brokers;
    }

    public static TopicIds connect(S3SinkConfig config) {
        return new TopicIds(Admin.create(adminConfig(config)), config.kafkaBootstrapServers());
    }

    /** The Admin client's settings; client.id is left to Kafka so that several tasks in one worker do not clash. */
    static Map<String, Object> adminConfig(S3SinkConfig config) {
        Map<String, Object> admin = new HashMap<>();
        config.consumerOverrides().forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key) && !key.equals(AdminClientConfig.CLIENT_ID_CONFIG)) {
                admin.put(key, value);
            }
        });
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
        return admin;
    }

    /** The id of each topic, as the string Kafka prints ({@code Uuid.toString}). */
    public Map<String, String> of(Collection<String> topics) throws IOException {
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics).topicNameValues();
        Map<String, String> ids = new HashMap<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : described.entrySet()) {
            try {
                ids.put(topic.getKey(), topic.getValue().get().topicId().toString());
            } catch (ExecutionException e) {
                String cause = e.getCause() instanceof UnknownTopicOrPartitionException
                        ? "it does not exist there" : String.valueOf(e.getCause().getMessage());
                throw new IOException("Cannot read the id of topic " + topic.getKey() + " from " + brokers + " (" + cause
                        + "); set " + S3SinkConfig.KAFKA_BOOTSTRAP + " to the brokers the worker reads from, and give "
                        + "their security settings as consumer.override.*", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while reading the id of topic " + topic.getKey(), e);
            }
        }
        return ids;
    }

    @Override
    public void close() {
        admin.close();
    }
}
