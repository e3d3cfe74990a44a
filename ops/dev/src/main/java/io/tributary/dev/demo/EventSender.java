package io.tributary.dev.demo;

import io.tributary.testing.AccessLogEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the applications' JSON events, as the demo's apps would: nested access logs whose
 * {@code source_type_id} references a master, event time = now, and one in {@code badEvery} broken
 * (unparseable JSON or an impossible timestamp) to show the dead-letter path. Remembers each good
 * event's time and master, for the freshness measurement and the report's expected counts.
 */
public final class EventSender implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String idPrefix;
    private final int badEvery;
    private final Random random = new Random(42);
    private final Clock clock;
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final AtomicLong good = new AtomicLong();
    private final AtomicLong bad = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private long n;

    public EventSender(String bootstrapServers, String topic, String idPrefix, int badEvery, Clock clock) {
        this.idPrefix = idPrefix;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.badEvery = badEvery;
        this.clock = clock;
    }

    /** Sends one event (good or, every {@code badEvery}th, broken); returns its id. */
    public String sendOne() {
        n++;
        Instant now = clock.instant();
        int user = random.nextInt(ShopDatabase.USERS);
        String id = idPrefix + n;
        byte[] value;
        long sourceTypeId = 1 + random.nextInt(ShopDatabase.MASTERS.size());
        boolean broken = badEvery > 0 && n % badEvery == 0;
        if (broken) {
            value = (n % (2L * badEvery) == 0
                    ? "{\"event_id\":\"" + id + "\",\"event_time\":\"yesterday-ish\",\"user\":{\"id\":\"u-1\"}}"
                    : "{\"event_id\":\"" + id + "\",\"event_time\":").getBytes(StandardCharsets.UTF_8);
        } else {
            value = AccessLogEvents.event(id, now, user, sourceTypeId, (int) n);
        }
        producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic,
                ShopDatabase.userId(user).getBytes(StandardCharsets.UTF_8), value), (meta, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    } else if (broken) {
                        bad.incrementAndGet();
                    } else {
                        good.incrementAndGet();
                        sent.put(id, new Sent(now.toEpochMilli(), sourceTypeId));
                    }
                });
        return id;
    }

    public void flush() {
        producer.flush();
    }

    /** Good events acknowledged by the broker. */
    /** When the good event {@code id} was sent (epoch milliseconds); -1 for a broken or unknown one. */
    public long sentAt(String id) {
        Sent s = sent.get(id);
        return s == null ? -1 : s.time();
    }

    public long good() {
        return good.get();
    }

    /** Broken events acknowledged by the broker (they must end up dead-lettered). */
    public long bad() {
        return bad.get();
    }

    public long failed() {
        return failed.get();
    }

    /** A good event as sent: its event time (= when it was sent, epoch millis) and the master it references. */
    public record Sent(long time, long sourceTypeId) {
    }

    /** Every good event acknowledged, by event id. */
    public Map<String, Sent> sent() {
        return sent;
    }

    @Override
    public void close() {
        producer.close();
    }
}
