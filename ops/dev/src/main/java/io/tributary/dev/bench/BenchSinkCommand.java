package io.tributary.dev.bench;

import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.connect.s3.record.RecordDecoder;
import io.tributary.connect.s3.storage.SinkStorage;
import io.tributary.connect.s3.writer.LocalBuffer;
import io.tributary.connect.s3.writer.SinkWriter;
import io.tributary.dev.stack.StackOptions;
import io.tributary.dev.stack.StackSession;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.s3.S3Server;
import io.tributary.lake.store.S3Storage;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.sink.SinkRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `tributary bench sink`: the sink's write path (decode through the registry, Parquet, upload to
 * the local S3 server, markers) against a raw dump of the same bytes into the same objects, in the
 * same run; then the heap that many open files really hold against the sink's own estimate, which
 * the memory cap (max.buffered.bytes.per.task) relies on.
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Benchmark the S3 Parquet sink's write path against a raw dump of the same bytes, and its memory per open file.")
public final class BenchSinkCommand implements Callable<Integer> {
    private static final Schema SCHEMA = SchemaBuilder.record("BenchRow").namespace("io.tributary.bench").fields()
            .requiredLong("id")
            .name("ts").type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
            .requiredString("user_name")
            .name("amount").type(LogicalTypes.decimal(12, 2).addToSchema(Schema.create(Schema.Type.BYTES))).noDefault()
            .optionalString("note")
            .endRecord();
    private static final long HOUR = 3_600_000L;
    private static final long START = Instant.parse("2025-03-30T00:00:00Z").toEpochMilli();

    @Mixin
    StackOptions stackOptions;

    @Option(names = "--records", defaultValue = "300000", description = "Records per round (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--hours", defaultValue = "30", description = "Event hours the records spread over (default ${DEFAULT-VALUE}).")
    int hours;

    @Option(names = "--open-files", defaultValue = "500", description = "Files open at once in the memory part (default ${DEFAULT-VALUE}).")
    int openFiles;

    @Option(names = "--rows-per-file", defaultValue = "1000", description = "Rows in each open file in the memory part (default ${DEFAULT-VALUE}).")
    int rowsPerFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (StackSession session = StackSession.open(stackOptions, out)) {
            StackConfig stack = session.config();
            System.setProperty("aws.accessKeyId", StackConfig.S3_ACCESS_KEY); // local stack only: the default chain reads these
            System.setProperty("aws.secretAccessKey", StackConfig.S3_SECRET_KEY);
            String bucket = "tributary-bench-" + System.currentTimeMillis();
            Path dir = Files.createTempDirectory("tributary-bench-sink");
            Map<String, String> props = new HashMap<>(Map.of(
                    S3SinkConfig.S3_BUCKET, bucket, S3SinkConfig.S3_ENDPOINT, stack.s3Endpoint(),
                    S3SinkConfig.S3_PATH_STYLE, "true", S3SinkConfig.SCHEMA_REGISTRY_URL, stack.registryUrl(),
                    S3SinkConfig.FLUSH_SIZE, "50000", S3SinkConfig.ROTATE_SCHEDULE_INTERVAL_MS, "3600000",
                    S3SinkConfig.LOCAL_BUFFER_DIR, dir.toString()));
            S3SinkConfig config = new S3SinkConfig(props);
            try (S3Storage storage = SinkStorage.open(config)) {
                S3Server.ensureBucket(SinkStorage.client(config), bucket);
                byte[][] values = serialize(stack.registryUrl(), "lake.bench_rows", records, i -> scatteredTime(i, hours));
                out.printf("Serialized %,d rows (~%d bytes each) over %d event hours.%n", records, values[0].length, hours);

                Rounds raw = new Rounds(3);
                Rounds sink = new Rounds(3);
                for (int round = 0; round < raw.count(); round++) {
                    raw.set(round, rawDump(storage, values, "raw-" + round, config.flushSize()));
                    sink.set(round, sinkWrite(config, storage, dir, values, "sink-" + round, props));
                    out.printf("  %s: raw dump %,.0f rows/s, sink %,.0f rows/s%n", Rounds.label(round), raw.get(round), sink.get(round));
                    out.flush();
                }
                double rawMedian = raw.median();
                double sinkMedian = sink.median();
                out.printf("%nWrite path, median of 3 rounds (%,d rows, 3 partitions, %d hours, flush.size %d):%n",
                        records, hours, config.flushSize());
                out.printf("  raw dump of the Avro bytes to S3 (baseline): %,10.0f rows/s%n", rawMedian);
                out.printf("  tributary sink (decode, Parquet, upload):    %,10.0f rows/s%n", sinkMedian);
                out.printf("  ratio sink / raw dump:                       %10.2f%n", sinkMedian / rawMedian);

                memory(out, config, storage, dir, stack.registryUrl(), props);
            }
            return 0;
        }
    }

    /** Opens {@code openFiles} files with {@code rowsPerFile} rows each and compares the live heap with the estimate. */
    private void memory(PrintWriter out, S3SinkConfig base, S3Storage storage, Path dir, String registryUrl,
                        Map<String, String> props) throws Exception {
        Map<String, String> p = new HashMap<>(props);
        p.put(S3SinkConfig.TOPICS_DIR, "memory");
        p.put(S3SinkConfig.MAX_OPEN_FILES, String.valueOf(openFiles + 1));
        p.put(S3SinkConfig.MAX_BUFFERED_BYTES, String.valueOf(Long.MAX_VALUE / 2));
        S3SinkConfig config = new S3SinkConfig(p);
        int total = openFiles * rowsPerFile;
        byte[][] values = serialize(registryUrl, "lake.bench_memory", total, i -> START + (i % openFiles) * HOUR);
        RecordDecoder decoder = RecordDecoder.of(config);
        long before = liveHeap();
        try (LocalBuffer buffer = new LocalBuffer(dir)) {
            SinkWriter writer = new SinkWriter(config, storage, buffer);
            TopicPartition tp = new TopicPartition("lake.bench_memory", 0);
            writer.open(tp);
            for (int i = 0; i < total; i++) {
                RecordDecoder.Decoded d = decoder.decode(record(tp, i, values[i], START + (i % openFiles) * HOUR));
                writer.write(tp, i, d.time(), d.value(), d.bytes(), 0);
            }
            long live = liveHeap() - before;
            long estimate = writer.estimatedHeapBytes();
            out.printf("%nMemory with %d files open at once (%,d rows of ~%d bytes each, codec %s, page %d KiB):%n",
                    writer.openFileCount(), rowsPerFile, values[0].length, config.codec(), config.pageBytes() / 1024);
            out.printf("  live heap held by the open files: %,7d KiB per file (%,d MiB in all)%n",
                    live / openFiles / 1024, live / 1024 / 1024);
            out.printf("  the sink's estimate:              %,7d KiB per file (%,d MiB in all); estimate / live = %.2f%n",
                    estimate / openFiles / 1024, estimate / 1024 / 1024, (double) estimate / live);
            writer.closeAll();
        }
    }

    /** One raw-dump object being written: the Avro bytes of one partition hour, concatenated. */
    private static final class RawFile {
        final Path local;
        final String key;
        final OutputStream out;
        int rows;

        RawFile(Path local, String key) throws IOException {
            this.local = local;
            this.key = key;
            this.out = Files.newOutputStream(local);
        }

        void upload(S3Storage storage) throws IOException {
            out.close();
            storage.upload(local, key);
            Files.delete(local);
        }
    }

    private double rawDump(S3Storage storage, byte[][] values, String prefix, int flushSize) throws IOException {
        long start = System.nanoTime();
        Path dir = Files.createTempDirectory("tributary-bench-raw");
        Map<String, RawFile> open = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            LakePath.HourPartition h = LakePath.hourOf(scatteredTime(i, hours));
            String group = (i % 3) + "-" + h.dt() + "-" + h.hour();
            RawFile file = open.get(group);
            if (file == null) {
                file = new RawFile(dir.resolve(group + "-" + i), prefix + "/rows/dt=" + h.dt() + "/hour=" + h.hour() + "/"
                        + group + "+" + i + ".avro");
                open.put(group, file);
            }
            file.out.write(values[i]);
            if (++file.rows >= flushSize) {
                open.remove(group).upload(storage);
            }
        }
        for (RawFile file : open.values()) {
            file.upload(storage);
        }
        Files.delete(dir);
        return values.length / ((System.nanoTime() - start) / 1e9);
    }

    private double sinkWrite(S3SinkConfig base, S3Storage storage, Path dir, byte[][] values, String prefix,
                             Map<String, String> props) throws Exception {
        Map<String, String> p = new HashMap<>(props);
        p.put(S3SinkConfig.TOPICS_DIR, prefix);
        S3SinkConfig config = new S3SinkConfig(p);
        RecordDecoder decoder = RecordDecoder.of(config);
        long start = System.nanoTime();
        try (LocalBuffer buffer = new LocalBuffer(dir)) {
            SinkWriter writer = new SinkWriter(config, storage, buffer);
            TopicPartition[] tps = new TopicPartition[3];
            for (int i = 0; i < tps.length; i++) {
                tps[i] = new TopicPartition("lake.bench_rows", i);
                writer.open(tps[i]);
            }
            for (int i = 0; i < values.length; i++) {
                TopicPartition tp = tps[i % 3];
                RecordDecoder.Decoded d = decoder.decode(record(tp, i / 3, values[i], scatteredTime(i, hours)));
                writer.write(tp, i / 3, d.time(), d.value(), d.bytes(), 0);
                if (i % 5000 == 4999) {
                    writer.flush(0); // as the task does after each put()
                }
            }
            writer.flush(Long.MAX_VALUE / 2); // the freshness flush closes what is left
            if (!writer.flush(Long.MAX_VALUE / 2).isEmpty()) {
                throw new IllegalStateException("uploads to the local S3 server failed; see the log");
            }
        }
        return values.length / ((System.nanoTime() - start) / 1e9);
    }

    private long scatteredTime(long i, int spread) {
        long t = START + i * spread * HOUR / records;
        return i % 20 == 0 ? t - (i * 7919 % (6 * HOUR)) : t;
    }

    private static SinkRecord record(TopicPartition tp, long offset, byte[] value, long time) {
        return new SinkRecord(tp.topic(), tp.partition(), null, null, null, value, offset, time, TimestampType.CREATE_TIME);
    }

    private static byte[][] serialize(String registryUrl, String topic, int count, java.util.function.LongUnaryOperator time) {
        byte[][] values = new byte[count][];
        try (AvroSerializer serializer = new AvroSerializer(Map.of("schema.registry.url", registryUrl), false)) {
            for (int i = 0; i < count; i++) {
                GenericRecord r = new GenericData.Record(SCHEMA);
                r.put("id", (long) i);
                r.put("ts", time.applyAsLong(i));
                r.put("user_name", "ユーザー" + (i % 997));
                r.put("amount", ByteBuffer.wrap(BigDecimal.valueOf(i % 100_000, 2).unscaledValue().toByteArray()));
                r.put("note", i % 7 == 0 ? null : "メモ " + i);
                values[i] = serializer.serialize(topic, r);
            }
        }
        return values;
    }

    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
