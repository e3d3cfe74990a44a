package io.tributary.connect.s3.it;

import io.tributary.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces {@link LakeRows} to a topic (row id modulo partitions picks the partition, the event time
 * is the record timestamp) and remembers the offset each row got, so that a reader can check that
 * a row sits in a file whose name covers its offset.
 */
final class SinkLoad {
    private final String bootstrap;
    private final String registryUrl;
    private final String topic;
    private final int partitions;
    private final LakeRows rows;
    private final long[] offsets;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    SinkLoad(String bootstrap, String registryUrl, String topic, int partitions, LakeRows rows) {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.topic = topic;
        this.partitions = partitions;
        this.rows = rows;
        this.offsets = new long[Math.toIntExact(rows.count())];
        Arrays.fill(offsets, -1);
    }

    /** Sends every row, at most {@code perSecond} a second (0: as fast as possible), and waits for the acks. */
    void produce(int perSecond) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer();
             AvroSerializer serializer = new AvroSerializer(Map.of("schema.registry.url", registryUrl), false)) {
            long started = System.nanoTime();
            for (long id = 0; id < rows.count(); id++) {
                if (perSecond > 0 && id % 1000 == 0) {
                    long due = started + id * 1_000_000_000L / perSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                int index = (int) id;
                producer.send(new ProducerRecord<>(topic, (int) (id % partitions), rows.time(id),
                        Long.toString(id).getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, rows.record(id))),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            } else {
                                offsets[index] = metadata.offset();
                                acknowledged.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Producing the test load failed", failure.get());
        }
    }

    /** Sends records the sink cannot read (not Avro), one per partition in turn; returns how many. */
    int produceGarbage(int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, rows.time(0), null,
                        ("not avro " + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        return count;
    }

    long acknowledged() {
        return acknowledged.get();
    }

    long offsetOf(long id) {
        return offsets[(int) id];
    }

    int partitionOf(long id) {
        return (int) (id % partitions);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}
