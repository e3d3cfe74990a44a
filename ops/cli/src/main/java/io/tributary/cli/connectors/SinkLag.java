package io.tributary.cli.connectors;

import io.tributary.cli.common.KafkaClients;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a sink connector (or any consumer group) is behind its topics, the one place it is
 * computed: its consumer group's committed offsets (for the S3 sink, everything below them is in S3)
 * against the partitions' ends.
 */
public final class SinkLag {
    /** Above this many offsets behind, the lag is reported in offsets instead of counting the records. */
    private static final long COUNT_LIMIT = 100_000;

    private final Admin admin;
    private final Map<String, Object> clientProperties;

    /** {@code clientProperties}: the cluster's bootstrap servers and security settings, for the reader that counts. */
    public SinkLag(Admin admin, Map<String, Object> clientProperties) {
        this.admin = admin;
        this.clientProperties = Map.copyOf(clientProperties);
    }

    /** The consumer group of a sink connector. */
    public static String group(String connector) {
        return "connect-" + connector;
    }

    /** The sink's committed offset per partition (partitions without a commit are left out). */
    public Map<TopicPartition, Long> committed(String connector) throws ExecutionException, InterruptedException {
        return committedOf(group(connector));
    }

    /** A consumer group's committed offset per partition (partitions without a commit are left out). */
    public Map<TopicPartition, Long> committedOf(String group) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> out = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        offsets.forEach((tp, o) -> {
            if (o != null) {
                out.put(tp, o.offset());
            }
        });
        return out;
    }

    /** Each partition's end offset. */
    public Map<TopicPartition, Long> ends(Collection<TopicPartition> partitions) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        if (!latest.isEmpty()) {
            admin.listOffsets(latest).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        }
        return out;
    }

    /**
     * Records in the sink's topics above its committed offsets: for the S3 sink, records not yet in
     * S3. Counted with a read_committed consumer, because transaction commit markers (lake topics
     * are written in transactions) take offsets that no record fills, so end minus committed
     * offsets overstates the lag by one per transaction. Very large lags are reported in offsets.
     */
    public String describe(String connector) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> committed = committed(connector);
        if (committed.isEmpty()) {
            return "nothing committed yet";
        }
        Map<TopicPartition, Long> end = ends(committed.keySet());
        long offsets = end.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - committed.get(e.getKey()))).sum();
        if (offsets > COUNT_LIMIT) {
            return String.format("%,d offsets behind", offsets);
        }
        return String.format("%,d records not yet committed", recordsBetween(committed, end));
    }

    /**
     * The committed records (read_committed) in {@code [from, to)} of each partition of {@code to}:
     * how many a consumer at {@code from} has yet to read before {@code to}. Transaction markers
     * take offsets that no record fills, so counting them is the only exact way to know.
     */
    public long recordsBetween(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> reader = KafkaClients.consumer(clientProperties)) {
            List<TopicPartition> behind = to.keySet().stream().filter(tp -> to.get(tp) > from.getOrDefault(tp, 0L)).toList();
            reader.assign(behind);
            behind.forEach(tp -> reader.seek(tp, from.getOrDefault(tp, 0L)));
            while (behind.stream().anyMatch(tp -> reader.position(tp) < to.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(KafkaClients.BOUNDED_WAIT)) {
                    records += r.offset() < to.get(new TopicPartition(r.topic(), r.partition())) ? 1 : 0;
                }
            }
        }
        return records;
    }
}
