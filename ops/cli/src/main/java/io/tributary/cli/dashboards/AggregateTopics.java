package io.tributary.cli.dashboards;

import io.tributary.cli.common.KafkaClients;
import io.tributary.streams.dashboards.BucketKey;
import io.tributary.streams.dashboards.ConnectRows;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.connect.data.Struct;

/**
 * The aggregate topics as a rebuild reads and writes them: the latest committed row of every key
 * (what the JDBC sink has upserted, or will), and rows sent with the streams app's key and value
 * bytes, so they land on the same partition as the live rows of their key and replace them in
 * compaction, with the bucket start as record time, as the live app stamps them.
 */
public final class AggregateTopics implements AutoCloseable {
    private final Map<String, Object> kafka;
    private KafkaProducer<byte[], byte[]> producer;

    /** @param kafka the clients' connection settings ({@link KafkaClients#properties}) */
    public AggregateTopics(Map<String, Object> kafka) {
        this.kafka = kafka;
    }

    /** Encoded bucket key to its latest row on the topic; keys whose latest record is a tombstone are absent. */
    Map<String, Struct> latest(String topic, ConnectRows rows) {
        Deserializer<String> keys = rows.keySerde().deserializer();
        Deserializer<Struct> values = rows.valueSerde().deserializer();
        Map<String, Struct> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(kafka)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // read_committed: the last stable offsets
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(KafkaClients.BOUNDED_WAIT)) {
                    String key = keys.deserialize(topic, r.key());
                    Struct value = values.deserialize(topic, r.value());
                    if (value == null) {
                        latest.remove(key);
                    } else {
                        latest.put(key, value);
                    }
                }
            }
        }
        return latest;
    }

    /** Sends the rows (null values: tombstones) and waits until every one is acknowledged by all in-sync replicas. */
    void write(String topic, ConnectRows rows, List<Map.Entry<String, Struct>> records) {
        if (records.isEmpty()) {
            return;
        }
        Serializer<String> keys = rows.keySerde().serializer();
        Serializer<Struct> values = rows.valueSerde().serializer();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Map.Entry<String, Struct> r : records) {
            sent.add(producer().send(new ProducerRecord<>(topic, null, BucketKey.decode(r.getKey()).start(),
                    keys.serialize(topic, r.getKey()), values.serialize(topic, r.getValue()))));
        }
        producer().flush();
        try {
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write to " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> props = new HashMap<>(kafka);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
