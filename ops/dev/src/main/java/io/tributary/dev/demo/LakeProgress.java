package io.tributary.dev.demo;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where the pipeline stands: the records in the lake topics (read with read_committed, since the
 * streams app writes them in transactions whose commit markers take offsets too), how many of them
 * the sink has committed (it commits only what is in S3), and the streams app's input lag.
 */
public final class LakeProgress implements AutoCloseable {
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> lakeReader;
    private final Map<TopicPartition, java.util.List<Long>> recordOffsets = new HashMap<>();
    private final String lakePrefix;
    private final String sinkGroup;
    private final java.util.List<String> streamsGroups;

    public LakeProgress(Admin admin, String bootstrapServers, String lakePrefix, String sinkConnector,
            String streamsApplicationId) {
        this.admin = admin;
        this.lakeReader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.lakePrefix = lakePrefix;
        this.sinkGroup = "connect-" + sinkConnector;
        // Both Kafka Streams apps of the pipeline: the events app and the changes app.
        this.streamsGroups = java.util.List.of(streamsApplicationId,
                streamsApplicationId + io.tributary.streams.TributaryTopology.CHANGES_APP_SUFFIX);
    }

    /** Records in the lake topics, records the sink has committed (= in S3), and the streams app's input lag. */
    public record Snapshot(long lakeRecords, long inS3, long streamsLag) {
        public boolean drained() {
            return streamsLag == 0 && inS3 == lakeRecords;
        }
    }

    public Snapshot snapshot() throws ExecutionException, InterruptedException {
        readLake();
        Map<TopicPartition, Long> sink = committed(sinkGroup);
        Map<TopicPartition, Long> streams = new HashMap<>();
        for (String group : streamsGroups) {
            streams.putAll(committed(group)); // the two apps read different topics
        }
        java.util.List<TopicPartition> inputs = streams.keySet().stream()
                .filter(tp -> streamsGroups.stream().noneMatch(g -> tp.topic().startsWith(g))).toList();
        Map<TopicPartition, Long> inputEnd = offsets(inputs, OffsetSpec.latest());
        // Records below the log start (deleted by retention or deleteRecords) are not lag: a group
        // whose committed offset lies there has nothing left to read below it.
        offsets(inputs, OffsetSpec.earliest()).forEach((tp, start) -> streams.merge(tp, start, Math::max));
        long lake = 0;
        long s3 = 0;
        for (Map.Entry<TopicPartition, java.util.List<Long>> e : recordOffsets.entrySet()) {
            lake += e.getValue().size();
            long committed = sink.getOrDefault(e.getKey(), 0L);
            s3 += e.getValue().stream().filter(offset -> offset < committed).count();
        }
        long lag = inputEnd.entrySet().stream().mapToLong(x -> Math.max(0, x.getValue() - streams.get(x.getKey()))).sum();
        return new Snapshot(lake, s3, lag);
    }

    /**
     * The events app's lag on one of its input topics: end offsets minus its committed offsets. Cheap
     * (no lake read), and as fine-grained as the app's commits.
     */
    public long inputLag(String topic) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> committed = committed(streamsGroups.get(0));
        var description = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic);
        return offsets(description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList(), OffsetSpec.latest())
                .entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - committed.getOrDefault(e.getKey(), 0L))).sum();
    }

    /** Records in a (non-transactional) topic: the sum of its end offsets. */
    public long records(String topic) throws ExecutionException, InterruptedException {
        var description = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic);
        return offsets(description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList(),
                OffsetSpec.latest()).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Records of a (non-transactional) topic the sink has committed, i.e. has in S3: the sum of its
     * group's committed offsets there. Cheap (no lake read); equal to {@link #records} once the sink
     * has every record of the topic in S3.
     */
    public long sinkCommitted(String topic) throws ExecutionException, InterruptedException {
        return committed(sinkGroup).entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Reads what is new in the lake topics (assigning partitions that appeared since). */
    private void readLake() throws ExecutionException, InterruptedException {
        java.util.List<TopicPartition> partitions = lakePartitions();
        if (!new java.util.HashSet<>(partitions).equals(lakeReader.assignment())) {
            lakeReader.assign(partitions);
        }
        while (true) {
            ConsumerRecords<byte[], byte[]> records = lakeReader.poll(Duration.ofMillis(200));
            if (records.isEmpty()) {
                return;
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                recordOffsets.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new java.util.ArrayList<>())
                        .add(r.offset());
            }
        }
    }

    @Override
    public void close() {
        lakeReader.close();
    }

    private java.util.List<TopicPartition> lakePartitions() throws ExecutionException, InterruptedException {
        var names = admin.listTopics().names().get().stream().filter(t -> t.startsWith(lakePrefix)).toList();
        return admin.describeTopics(names).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition()))).toList();
    }

    private Map<TopicPartition, Long> offsets(java.util.Collection<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        if (!request.isEmpty()) {
            admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        }
        return out;
    }

    private Map<TopicPartition, Long> committed(String group) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> out = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        offsets.forEach((tp, o) -> {
            if (o != null) {
                out.put(tp, o.offset());
            }
        });
        return out;
    }
}
