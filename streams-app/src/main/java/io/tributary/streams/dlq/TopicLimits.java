package io.tributary.streams.dlq;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The largest record batch a topic accepts ({@code max.message.bytes}), asked of the brokers the
 * first time a row for the topic is refused as too large. A refusal for size reaches every row of
 * the batch the producer sent, so only a row that could not fit even alone is the row at fault.
 */
final class TopicLimits {
    /** More than a batch of one record adds to its key, value and headers (batch header 61, record framing at most 21). */
    static final int RECORD_OVERHEAD = 61 + 21;
    private static final Logger LOG = LoggerFactory.getLogger(TopicLimits.class);
    private final Map<String, Object> adminConfigs = new HashMap<>();
    private final Map<String, Integer> limits = new ConcurrentHashMap<>();

    /** With the settings of the app's admin clients (bootstrap servers, security). */
    TopicLimits(Map<String, Object> adminConfigs) {
        this.adminConfigs.putAll(adminConfigs);
    }

    /** The topic's max.message.bytes, or -1 when the brokers cannot say. */
    int maxMessageBytes(String topic) {
        Integer known = limits.get(topic);
        if (known != null) {
            return known;
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(adminConfigs)) {
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            int limit = Integer.parseInt(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
            limits.put(topic, limit);
            return limit;
        } catch (Exception e) {
            LOG.error("Cannot read max.message.bytes of {}: {}", topic, SafeErrorText.classes(e));
            return -1;
        }
    }
}
