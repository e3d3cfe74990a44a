package io.tributary.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the view from Kafka: every partition of every topic with the prefix, from the beginning
 * (the topics are compacted: their rows are the whole state), committed records only, no consumer
 * group. New aggregate topics are picked up within {@link #TOPIC_REFRESH}.
 */
public final class AggregateTopicsReader implements AutoCloseable {
    static final Duration TOPIC_REFRESH = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(AggregateTopicsReader.class);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String prefix;
    private final AggregateView view;
    private final Thread thread;
    private volatile boolean running = true;

    /** {@code clientProperties}: the brokers and their security settings ({@link DashboardConfig#kafkaClientProperties()}). */
    public AggregateTopicsReader(Map<String, Object> clientProperties, String prefix, AggregateView view) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.putAll(Map.of("isolation.level", "read_committed", "enable.auto.commit", false, "fetch.max.wait.ms", 100,
                "client.id", "tributary-dashboard"));
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.prefix = prefix;
        this.view = view;
        this.thread = new Thread(this::run, "aggregate-topics-reader");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextRefresh = 0;
        try {
            while (running) {
                if (System.nanoTime() >= nextRefresh) {
                    List<TopicPartition> all = new ArrayList<>();
                    consumer.listTopics().forEach((topic, partitions) -> {
                        if (topic.startsWith(prefix)) {
                            partitions.forEach(p -> all.add(new TopicPartition(topic, p.partition())));
                        }
                    });
                    if (!assigned.containsAll(all)) {
                        List<TopicPartition> added = all.stream().filter(tp -> !assigned.contains(tp)).toList();
                        assigned.addAll(added);
                        consumer.assign(assigned);
                        consumer.seekToBeginning(added);
                        LOG.info("Reading aggregate topics {}", added);
                    }
                    nextRefresh = System.nanoTime() + TOPIC_REFRESH.toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                List<AggregateView.Record> batch = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    batch.add(new AggregateView.Record(r.topic(), r.offset(), r.key(), r.value()));
                }
                view.apply(batch);
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Stopped reading the aggregate topics: {}", e.getMessage(), e);
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
