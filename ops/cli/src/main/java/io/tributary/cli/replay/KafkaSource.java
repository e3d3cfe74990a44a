package io.tributary.cli.replay;

import io.tributary.cli.common.CliError;
import io.tributary.cli.common.KafkaClients;
import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.time.RawTime;
import io.tributary.streams.replay.InProcessPipeline.Input;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Source records read from the Kafka topic itself, while it still holds the range: from the first
 * record whose timestamp could carry a lake time in the range (the range's start minus the event
 * time window's future bound, or the CDC warm-up) to the cut, partition by partition. Each record is
 * filed under its lake time ({@link RawTime}, as the raw archive files it) into spill files per hour
 * and partition in the work dir, which {@link #read} then replays in (partition, offset) order.
 */
final class KafkaSource implements RawSource {
    private final Map<String, Object> clientProperties;
    private final String topic;
    private final Map<Integer, Long> cut;
    private final long lookBackMs;
    private final Path spill;
    private long spilled = -1;

    /**
     * @param cut        per partition, the first offset not to read
     * @param lookBackMs how long before the range's first hour to start reading: a record's Kafka
     *                   timestamp may lie that far after its lake time (the event time window's future bound)
     */
    KafkaSource(Map<String, Object> clientProperties, String topic, Map<Integer, Long> cut, long lookBackMs, Path spill) {
        this.clientProperties = clientProperties;
        this.topic = topic;
        this.cut = cut;
        this.lookBackMs = lookBackMs;
        this.spill = spill;
    }

    /**
     * Reads the topic from the first record that can belong to {@code from} up to the cut into spill
     * files by lake hour, up to {@code readers} partitions at once (each into files of its own; finding
     * a record's lake time parses it, so one reader keeps one core busy). Refuses, naming the earliest
     * time Kafka still holds, when retention has deleted part of that span.
     */
    void spill(HourPartition from, RawTime time, int readers) throws IOException {
        long startTime = from.startMillis() - lookBackMs;
        deleteSpill();
        ExecutorService threads = Executors.newFixedThreadPool(Math.max(1, Math.min(readers, cut.size())));
        try {
            List<Future<Long>> partitions = new ArrayList<>();
            for (Map.Entry<Integer, Long> p : new TreeMap<>(cut).entrySet()) {
                partitions.add(threads.submit(() -> spill(new TopicPartition(topic, p.getKey()), startTime, p.getValue(), time)));
            }
            long count = 0;
            for (Future<Long> partition : partitions) {
                count += Tasks.get(partition);
            }
            spilled = count;
        } finally {
            threads.shutdownNow();
        }
    }

    private long spill(TopicPartition tp, long startTime, long end, RawTime time) throws IOException {
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(clientProperties)) {
            long start = start(consumer, tp, startTime);
            consumer.assign(List.of(tp));
            consumer.seek(tp, start);
            Map<HourPartition, List<GenericRecord>> byHour = new HashMap<>();
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < end) {
                        Input input = new Input(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), r.headers());
                        RawTime.Time t = time.of(r.value(), r.timestamp());
                        byHour.computeIfAbsent(LakePath.hourOf(t.millis()), h -> new ArrayList<>())
                                .add(RawRecords.row(input, t.millis(), t.source().label()));
                        count++;
                    }
                }
                append(byHour, tp.partition());
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

    private void append(Map<HourPartition, List<GenericRecord>> byHour, int partition) throws IOException {
        GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(RawRecords.SCHEMA);
        for (Map.Entry<HourPartition, List<GenericRecord>> e : byHour.entrySet()) {
            Path file = spill.resolve(e.getKey().toString()).resolve(String.format("%06d.bin", partition));
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                 DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out))) {
                java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
                for (GenericRecord row : e.getValue()) {
                    buffer.reset();
                    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer, null);
                    writer.write(row, encoder);
                    encoder.flush();
                    data.writeInt(buffer.size());
                    buffer.writeTo(data);
                }
            }
        }
        byHour.clear();
    }

    @Override
    public long read(HourPartition hour, RawRecords.Sink sink) throws IOException {
        Path dir = spill.resolve(hour.toString());
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long count = 0;
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(RawRecords.SCHEMA);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                    BinaryDecoder decoder = null;
                    while (true) {
                        int length;
                        try {
                            length = in.readInt();
                        } catch (EOFException end) {
                            break;
                        }
                        decoder = DecoderFactory.get().binaryDecoder(in.readNBytes(length), decoder);
                        sink.accept(RawRecords.input(reader.read(null, decoder)));
                        count++;
                    }
                }
            }
        }
        return count;
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
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
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

    /** For --dry-run: the records from the first that can belong to the range up to the cut, which a replay reads. */
    @Override
    public String describe(List<HourPartition> hours) {
        long startTime = hours.get(0).startMillis() - lookBackMs;
        long records = 0;
        Map<Integer, String> spans = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(clientProperties)) {
            for (Map.Entry<Integer, Long> p : new TreeMap<>(cut).entrySet()) {
                long start = start(consumer, new TopicPartition(topic, p.getKey()), startTime);
                records += p.getValue() - start;
                spans.put(p.getKey(), start + ".." + p.getValue());
            }
        }
        return String.format("%,d raw records of Kafka topic %s (offsets by partition %s, from %s to the streams app's "
                + "committed offsets)", records, topic, spans, Instant.ofEpochMilli(startTime));
    }

    /** Records spilled by the last {@link #spill}; -1 before. */
    long spilled() {
        return spilled;
    }

    private void deleteSpill() throws IOException {
        Spool.deleteTree(spill);
        Files.createDirectories(spill);
    }

    @Override
    public void close() throws IOException {
        deleteSpill();
    }
}
