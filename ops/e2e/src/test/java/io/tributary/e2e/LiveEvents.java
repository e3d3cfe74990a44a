package io.tributary.e2e;

import io.tributary.testing.AccessLogEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Application events sent in the background while a test does something else (a replay): 20 a
 * second, every third one late, with an event time of {@code lateTime} (ids {@code <prefix>late-<n>},
 * the others {@code <prefix>now-<n>} with the time they are sent).
 */
final class LiveEvents implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String prefix;
    private final long lateTime;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    LiveEvents(String bootstrapServers, String topic, String prefix, long lateTime) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.prefix = prefix;
        this.lateTime = lateTime;
        this.thread = new Thread(this::send, "live-events");
        thread.start();
    }

    private void send() {
        for (int n = 0; running; n++) {
            boolean late = n % 3 == 0;
            int user = n % 50;
            Instant time = late ? Instant.ofEpochMilli(lateTime) : Instant.now();
            byte[] value = AccessLogEvents.event(prefix + (late ? "late-" : "now-") + n, time, user, 1 + n % 5, n);
            producer.send(new ProducerRecord<>(topic, ("u-" + user).getBytes(StandardCharsets.UTF_8), value), (meta, e) -> {
                (e == null ? acknowledged : failed).incrementAndGet();
            });
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops sending; returns how many events the broker acknowledged (fails if one was not). */
    long stop() throws InterruptedException {
        running = false;
        thread.join();
        producer.flush();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " live events were not acknowledged");
        }
        return acknowledged.get();
    }

    @Override
    public void close() throws InterruptedException {
        if (running) {
            stop();
        }
        producer.close();
    }
}
