package io.tributary.cli.replay;

import io.tributary.cli.common.CliError;
import io.tributary.cli.common.KafkaClients;
import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.time.RawTime;
import io.tributary.streams.replay.InProcessPipeline.Input;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Source records read from the Kafka topic itself, while it still holds the range: from the first
 * record whose timestamp could carry a lake time in the range (the range's start minus the event
 * time window's future bound, or the CDC warm-up) to the cut, partition by partition in offset
 * order, each record handed on with its lake time's hour ({@link RawTime}, as the raw archive files
 * it) as it arrives: no copy on disk, and the pipelines work while Kafka is read.
 */
final class KafkaSource implements RawSource {
    private final Map<String, Object> clientProperties;
    private final String topic;
    private final Map<Integer, Long> cut;
    private final long lookBackMs;
    private final RawTime time;
    private final String idLeaf;

    /**
     * @param cut        per partition, the first offset not to read
     * @param lookBackMs how long before the range's first hour to start reading: a record's Kafka
     *                   timestamp may lie that far after its lake time (the event time window's future bound)
     * @param time       a record's lake time
     * @param idLeaf     the leaf read with it that identifies a record's rows ({@link RowIdentity#sourceLeaf}; null: none)
     */
    KafkaSource(Map<String, Object> clientProperties, String topic, Map<Integer, Long> cut, long lookBackMs, RawTime time,
            String idLeaf) {
        this.clientProperties = clientProperties;
        this.topic = topic;
        this.cut = cut;
        this.lookBackMs = lookBackMs;
        this.time = time;
        this.idLeaf = idLeaf;
    }

    /**
     * Reads the topic from the first record that can belong to the first hour up to the cut, partition
     * by partition, handing on the records of {@code hours}. Refuses, naming the earliest time Kafka
     * still holds, when retention has deleted part of that span.
     */
    @Override
    public long read(List<HourPartition> hours, HourSink sink) throws IOException {
        Set<HourPartition> wanted = new HashSet<>(hours);
        long startTime = hours.get(0).startMillis() - lookBackMs;
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(clientProperties)) {
            for (Map.Entry<Integer, Long> p : new TreeMap<>(cut).entrySet()) {
                TopicPartition tp = new TopicPartition(topic, p.getKey());
                long end = p.getValue();
                long start = start(consumer, tp, startTime);
                consumer.assign(List.of(tp));
                consumer.seek(tp, start);
                while (consumer.position(tp) < end) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(KafkaClients.BOUNDED_WAIT)) {
                        if (r.offset() >= end) {
                            continue;
                        }
                        RawTime.Reading reading = time.read(r.value(), r.timestamp(), idLeaf);
                        HourPartition hour = LakePath.hourOf(reading.time().millis());
                        if (wanted.contains(hour)) {
                            sink.accept(hour, new Input(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value(),
                                    r.headers()), reading.leaf() == null ? null : reading.leaf().text());
                            count++;
                        }
                    }
                }
            }
        }
        return count;
    }

    /** The offset to start reading a partition from; fails when Kafka no longer holds records from {@code startTime}. */
    private long start(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long startTime) {
        long earliest = consumer.beginningOffsets(List.of(tp)).get(tp);
        var atTime = consumer.offsetsForTimes(Map.of(tp, startTime)).get(tp);
        long start = atTime == null ? cut.get(tp.partition()) : atTime.offset();
        if (earliest > 0 && start <= earliest) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, earliest);
            for (ConsumerRecord<byte[], byte[]> first : consumer.poll(Duration.ofSeconds(5))) {
                if (first.timestamp() > startTime) {
                    throw new CliError(topic + " partition " + tp.partition() + " holds records only from "
                            + Instant.ofEpochMilli(first.timestamp()) + " (offset " + earliest + "); the replay needs them from "
                            + Instant.ofEpochMilli(startTime) + ": use --source archive");
                }
                break;
            }
        }
        return Math.min(start, cut.get(tp.partition()));
    }

    @Override
    public long readAll(String historyTopic, Map<Integer, Long> ends, RawRecords.Sink sink) throws IOException {
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(clientProperties)) {
            for (Map.Entry<Integer, Long> p : new TreeMap<>(ends).entrySet()) {
                TopicPartition tp = new TopicPartition(historyTopic, p.getKey());
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                while (consumer.position(tp) < p.getValue()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(KafkaClients.BOUNDED_WAIT)) {
                        if (r.offset() < p.getValue()) {
                            sink.accept(new Input(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), r.headers()));
                            count++;
                        }
                    }
                }
            }
        }
        return count;
    }

    /** The records from the first that can belong to the first hour up to the cut, which {@link #read} reads. */
    @Override
    public long expectedRecords(List<HourPartition> hours) {
        return records(spans(hours));
    }

    /** For --dry-run: the records {@link #read} reads. */
    @Override
    public String describe(List<HourPartition> hours) {
        Map<Integer, long[]> spans = spans(hours);
        Map<Integer, String> offsets = new TreeMap<>();
        spans.forEach((partition, span) -> offsets.put(partition, span[0] + ".." + span[1]));
        return String.format("%,d raw records of Kafka topic %s (offsets by partition %s, from %s to the streams app's "
                + "committed offsets)", records(spans), topic, offsets,
                Instant.ofEpochMilli(hours.get(0).startMillis() - lookBackMs));
    }

    private static long records(Map<Integer, long[]> spans) {
        return spans.values().stream().mapToLong(span -> span[1] - span[0]).sum();
    }

    /** Per partition, the offsets {@link #read} reads: from, to (exclusive). */
    private Map<Integer, long[]> spans(List<HourPartition> hours) {
        long startTime = hours.get(0).startMillis() - lookBackMs;
        Map<Integer, long[]> spans = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(clientProperties)) {
            for (Map.Entry<Integer, Long> p : new TreeMap<>(cut).entrySet()) {
                spans.put(p.getKey(), new long[] {start(consumer, new TopicPartition(topic, p.getKey()), startTime), p.getValue()});
            }
        }
        return spans;
    }

    @Override
    public void close() {
    }
}
