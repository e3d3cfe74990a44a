package io.tributary.connect.s3.writer;

import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.lake.store.InMemoryObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/** What the writer's tests share: a config, rows of a small order schema, and reading the objects back. */
final class WriterFixture {
    static final String TOPIC = "lake.orders";
    static final String CONNECTOR = "lake-sink";
    /** Two incarnations of the topic, as Kafka prints topic ids. */
    static final String TOPIC_ID = "7ZrRzbxgQ9K-JbKQ5R3r1w";
    static final String RECREATED_TOPIC_ID = "Xq0o3SydTuyKf3bPLyUq0A";
    static final String MARKER = "warehouse/_tributary/markers/lake.orders/0.json";
    static final Schema TS = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    static final Schema V1 = SchemaBuilder.record("Order").namespace("t").fields()
            .requiredLong("id").name("ts").type(TS).noDefault().requiredString("note").endRecord();
    static final Schema V2 = SchemaBuilder.record("Order").namespace("t").fields()
            .requiredLong("id").name("ts").type(TS).noDefault().requiredString("note").optionalString("channel").endRecord();
    /** 22:00 on New Year's Eve: the data crosses day, month and year boundaries. */
    static final long T0 = Instant.parse("2025-12-31T22:00:00Z").toEpochMilli();
    static final long HOUR = 3_600_000;

    private final Path dir;

    WriterFixture(Path dir) {
        this.dir = dir;
    }

    S3SinkConfig config(String... overrides) {
        Map<String, String> props = new HashMap<>(Map.of(
                S3SinkConfig.CONNECTOR_NAME, CONNECTOR,
                S3SinkConfig.S3_BUCKET, "lake",
                S3SinkConfig.SCHEMA_REGISTRY_URL, "mock://sink-writer-test",
                S3SinkConfig.TOPICS_DIR, "warehouse",
                S3SinkConfig.LOCAL_BUFFER_DIR, dir.toString()));
        for (int i = 0; i < overrides.length; i += 2) {
            props.put(overrides[i], overrides[i + 1]);
        }
        return new S3SinkConfig(props);
    }

    SinkWriter writer(InMemoryObjectStore store, String... overrides) throws IOException {
        return new SinkWriter(config(overrides), store, new LocalBuffer(dir));
    }

    static GenericRecord row(Schema schema, long id, long ts) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("id", id);
        r.put("ts", ts);
        r.put("note", "注文 " + id);
        return r;
    }

    static TopicPartition tp(int partition) {
        return new TopicPartition(TOPIC, partition);
    }

    /** Per partition: {id, offset, time} over 30 event hours; ids encode partition and offset; 5% of records are late. */
    static List<List<long[]>> records(Random random, int partitions, int perPartition) {
        return records(random, partitions, perPartition, 30);
    }

    /** Records spread evenly over {@code hours} event hours from T0; 5% are up to that many hours late. */
    static List<List<long[]>> records(Random random, int partitions, int perPartition, int hours) {
        List<List<long[]>> input = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            List<long[]> records = new ArrayList<>();
            long offset = 0;
            for (int i = 0; i < perPartition; i++) {
                offset += 1 + (random.nextInt(10) == 0 ? 1 : 0); // gaps, as transaction markers leave
                long time = T0 + i * hours * HOUR / perPartition;
                if (random.nextInt(20) == 0) {
                    time -= random.nextLong(hours * HOUR);
                }
                records.add(new long[] {p * 1_000_000L + offset, offset, time});
            }
            input.add(records);
        }
        return input;
    }

    static List<String> parquetKeys(Map<String, byte[]> objects) {
        return objects.keySet().stream().filter(k -> k.endsWith(".parquet")).toList();
    }

    List<GenericRecord> read(byte[] object) throws IOException {
        Path file = Files.createTempFile(dir, "read", ".parquet");
        Files.write(file, object);
        List<GenericRecord> records = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                records.add(r);
            }
        }
        Files.delete(file);
        return records;
    }

    List<Long> readIds(byte[] object) throws IOException {
        return read(object).stream().map(r -> (Long) r.get("id")).toList();
    }

    /** How many times each record id appears across the Parquet objects. */
    Map<Long, Integer> idCounts(Map<String, byte[]> objects) throws IOException {
        Map<Long, Integer> seen = new TreeMap<>();
        for (String key : parquetKeys(objects)) {
            for (long id : readIds(objects.get(key))) {
                seen.merge(id, 1, Integer::sum);
            }
        }
        return seen;
    }
}
