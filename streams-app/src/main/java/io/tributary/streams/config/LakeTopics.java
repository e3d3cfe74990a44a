package io.tributary.streams.config;

import io.tributary.schemas.contract.Contracts;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Utils;

/**
 * Every topic the topology reads or writes, and the serde of lake values: one immutable registry
 * built from the configuration, shared by the topology, the app and the tests.
 */
public record LakeTopics(String events, String eventsTable, Map<String, String> cdcTopicsByTable, String lakePrefix,
        String deadLetters, Serde<GenericRecord> lakeValueSerde) {

    public static LakeTopics of(PipelineConfig config) {
        Map<String, String> cdc = new java.util.LinkedHashMap<>();
        for (String topic : config.cdcTopics()) {
            String table = tableOf(topic);
            if (cdc.put(table, topic) != null) {
                throw new ConfigException(PipelineConfig.CDC_TOPICS, config.cdcTopics(), "two topics of table " + table);
            }
        }
        @SuppressWarnings("unchecked")
        Serde<GenericRecord> serde = (Serde<GenericRecord>) Utils.newInstance(config.lakeValueSerde());
        serde.configure(config.registryConfigs(), false);
        return new LakeTopics(config.eventsTopic(), config.eventsTable(), Map.copyOf(cdc), config.lakeTopicPrefix(),
                config.dlqTopic(), serde);
    }

    /** The table of a Debezium topic named {@code <prefix>.<database>.<table>}: its last segment. */
    public static String tableOf(String topic) {
        return topic.substring(topic.lastIndexOf('.') + 1);
    }

    public String lake(String table) {
        return lakePrefix + table;
    }

    public String lakeDeadLetters() {
        return lake(Contracts.DEAD_LETTERS);
    }
}
