package io.tributary.connect.s3.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connect.s3.config.RawFormat;
import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.schemas.lake.LakePath;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw archive on the real stack: the packaged plugin with {@code record.format=raw} keeps every
 * source record (JSON events over five event hours, some late, and records that are not JSON) exactly
 * once, byte for byte with its key, headers, partition, offset and timestamp, in the hour folder of
 * its lake time: the event time when the app would accept it, else the Kafka timestamp.
 */
@ExtendWith(DevStackExtension.class)
class RawArchiveIT {
    private static final int PARTITIONS = 3;
    private static final int EVENTS = 30_000;
    private static final int GARBAGE = 20;
    private static final Instant HOUR0 = Instant.parse("2026-11-05T00:00:00Z");

    @TempDir
    Path tmp;

    private static String event(int i, Instant time) {
        return "{\"event_id\":\"e-" + i + "\",\"event_time\":\"" + time + "\",\"user\":{\"id\":\"u-" + (i % 97) + "\"}}";
    }

    @Test
    void everySourceRecordIsArchivedOnceAsItWasInItsLakeHour(DevStack stack) throws Exception {
        String topic = stack.createTopic("app.events", PARTITIONS);
        String bucket = stack.createBucket("raw-archive");
        // What was produced, by (partition, offset): the value bytes and the hour folder it belongs in.
        Map<String, byte[]> values = new HashMap<>();
        Map<String, String> hours = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20), new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            List<byte[]> sentValues = new ArrayList<>();
            List<String> sentHours = new ArrayList<>();
            for (int i = 0; i < EVENTS + GARBAGE; i++) {
                boolean garbage = i >= EVENTS;
                Instant eventTime = HOUR0.plusSeconds((i * 7L) % (5 * 3600));
                long kafkaTime = eventTime.toEpochMilli() + (i % 50 == 0 ? 3 * 3_600_000L : 1_000); // 1 in 50 arrives 3 h late
                byte[] value = (garbage ? "not json " + i : event(i, eventTime)).getBytes(StandardCharsets.UTF_8);
                RecordHeaders headers = new RecordHeaders();
                headers.add("trace", ("t-" + i).getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(new ProducerRecord<>(topic, i % PARTITIONS, kafkaTime,
                        ("k-" + i).getBytes(StandardCharsets.UTF_8), value, headers)));
                sentValues.add(value);
                sentHours.add(new LakePath("lake/_raw").folder(topic, LakePath.hourOf(garbage ? kafkaTime : eventTime.toEpochMilli())));
            }
            producer.flush();
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata m = sent.get(i).get();
                String at = m.partition() + "/" + m.offset();
                values.put(at, sentValues.get(i));
                hours.put(at, sentHours.get(i));
            }
        }

        Map<String, String> config = SinkConnector.config(stack, topic, bucket, stack.config().s3Endpoint());
        config.put(RawFormat.RECORD_FORMAT, RawFormat.RAW);
        config.put(RawFormat.EVENTS_TOPICS, topic);
        config.put(RawFormat.EVENTS_TIME_FIELD, "event_time");
        config.put("header.converter", S3SinkConfig.BYTE_ARRAY_CONVERTER);
        config.put(S3SinkConfig.TOPICS_DIR, "lake/_raw");
        config.put("table.name.strip.prefix", "");
        SinkConnector sink = new SinkConnector(stack, DevStack.uniqueName("raw-archive"), topic, PARTITIONS);
        sink.deploy(config);
        sink.awaitCommitted(EVENTS + GARBAGE, Duration.ofMinutes(2), () -> { });

        int rows = 0;
        int lateInOwnHour = 0;
        List<String> keys = stack.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix("lake/_raw/" + topic + "/"))
                .contents().stream().map(o -> o.key()).filter(k -> k.endsWith(".parquet")).toList();
        assertThat(keys).isNotEmpty();
        for (String key : keys) {
            Path local = tmp.resolve("o.parquet");
            Files.deleteIfExists(local);
            Files.write(local, stack.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(local))
                    .withDataModel(GenericData.get()).build()) {
                for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                    String at = r.get("partition") + "/" + r.get("offset");
                    byte[] expected = values.remove(at);
                    assertThat(expected).as("%s is archived once and was produced", at).isNotNull();
                    assertThat(bytes(r.get("value"))).as(at).isEqualTo(expected);
                    assertThat(key).as(at).startsWith(hours.get(at));
                    assertThat(r.get("topic").toString()).isEqualTo(topic);
                    @SuppressWarnings("unchecked")
                    List<GenericRecord> headers = (List<GenericRecord>) r.get("headers");
                    assertThat(headers).hasSize(1);
                    assertThat(new String(bytes(r.get("key")), StandardCharsets.UTF_8)).startsWith("k-");
                    assertThat(headers.get(0).get("key").toString()).isEqualTo("trace");
                    assertThat(new String(bytes(headers.get(0).get("value")), StandardCharsets.UTF_8))
                            .isEqualTo("t-" + new String(bytes(r.get("key")), StandardCharsets.UTF_8).substring(2));
                    if (r.get("lake_time_source").toString().equals("event_time")
                            && (Long) r.get("timestamp") - (Long) r.get("lake_time") > 3_000_000L) {
                        lateInOwnHour++;
                    }
                    rows++;
                }
            }
        }
        System.out.printf("Raw archive: %,d records in %d objects; %d late records in their event hour%n", rows, keys.size(),
                lateInOwnHour);
        assertThat(values).as("records not archived").isEmpty();
        assertThat(rows).isEqualTo(EVENTS + GARBAGE);
        assertThat(lateInOwnHour).isEqualTo(EVENTS / 50);
    }

    private static byte[] bytes(Object value) {
        if (value == null) {
            return null;
        }
        ByteBuffer b = ((ByteBuffer) value).duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
