package io.tributary.dev.bench;

import io.tributary.cli.common.CliError;
import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.connect.s3.record.RecordDecoder;
import io.tributary.connect.s3.storage.SinkStorage;
import io.tributary.connect.s3.writer.LocalBuffer;
import io.tributary.connect.s3.writer.SinkWriter;
import io.tributary.dev.stack.StackOptions;
import io.tributary.dev.stack.StackSession;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.s3.LocalS3;
import io.tributary.devstack.s3.S3Server;
import io.tributary.lake.store.S3Storage;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * `tributary bench sink`: the sink's write path (decode through the registry, Parquet, upload to
 * the local S3 server, markers) against parquet-java's {@code AvroParquetWriter} writing the same
 * decoded rows to local disk with the same codec, page and row-group size and the same files per
 * partition-hour, in the same JVM and run. The rows are real {@code app_events} rows: the bench
 * events run through the pipeline's topology in process. Then the Connect-level figure: the same
 * records drained from a lake topic by the real sink connector on a Connect worker
 * ({@link SinkConnectRound}). Then the heap that many open files really hold against the sink's own
 * estimate, which the memory cap (max.buffered.bytes.per.task) relies on.
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Benchmark the S3 Parquet sink's write path against parquet-java writing the same app_events rows to "
                + "local disk, the sink connector on a Connect worker on the same rows, and the sink's memory per open file.")
public final class BenchSinkCommand implements Callable<Integer> {
    private static final String TOPIC = "lake.bench_app_events";
    private static final int PARTITIONS = 3;
    private static final long HOUR = 3_600_000L;
    private static final long START = Instant.parse("2025-03-30T00:00:00Z").toEpochMilli();

    @Mixin
    StackOptions stackOptions;

    @Option(names = "--records", defaultValue = "300000", description = "Records per round (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--hours", defaultValue = "30", description = "Event hours the records spread over (default ${DEFAULT-VALUE}).")
    int hours;

    @Option(names = "--fixture", defaultValue = "WIDE", description = "The events the rows are made from: ACCESS_LOG or "
            + "WIDE (see bench streams) (default ${DEFAULT-VALUE}).")
    BenchInput.Fixture fixture;

    @Option(names = "--open-files", defaultValue = "500", description = "Hours open at once over the 3 partitions in the "
            + "memory part (default ${DEFAULT-VALUE}).")
    int openFiles;

    @Option(names = "--rows-per-file", defaultValue = "1000", description = "Rows in each open file in the memory part (default ${DEFAULT-VALUE}).")
    int rowsPerFile;

    @Option(names = "--no-connect", description = "Skip the Connect-level run (the sink connector on a Connect worker "
            + "draining the same rows from a lake topic).")
    boolean noConnect;

    @Option(names = "--connect-flush-ms", defaultValue = "1000", description = "rotate.schedule.interval.ms of the "
            + "Connect-level run: the last open files close this long after they open, and the run ends after they do "
            + "(default ${DEFAULT-VALUE}).")
    long connectFlushMs;

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
                int rowCount = Math.max(records, openFiles * rowsPerFile);
                out.printf("Making %,d app_events rows from %s events through the pipeline's topology ...%n", rowCount, fixture);
                out.flush();
                List<GenericRecord> rows = new BenchInput(fixture, 1000, rowCount).lakeRows(stack, dir.resolve("state"));
                byte[][] values = serialize(stack.registryUrl(), rows);
                double megabytes = Arrays.stream(values, 0, records).mapToLong(v -> v.length).sum() / 1e6;
                out.printf("Serialized %,d rows (%,.1f MB of Avro, ~%d bytes each) over %d event hours.%n", records, megabytes,
                        values[0].length, hours);

                Rounds parquetJava = new Rounds(3);
                Rounds sink = new Rounds(3);
                for (int round = 0; round < sink.count(); round++) {
                    parquetJava.set(round, parquetJava(config, rows, dir.resolve("parquet-java-" + round)));
                    sink.set(round, sinkWrite(config, storage, dir, values, "sink-" + round, props));
                    out.printf("  %s: parquet-java to local disk %,.0f rows/s, sink %,.0f rows/s%n", Rounds.label(round),
                            parquetJava.get(round), sink.get(round));
                    out.flush();
                }
                out.printf("%nWrite path, median (min - max) of 3 rounds (%,d rows, %d partitions, %d hours, flush.size %d, "
                        + "codec %s, row group %d MiB, page %d KiB):%n", records, PARTITIONS, hours, config.flushSize(),
                        config.codec(), config.rowGroupBytes() >> 20, config.pageBytes() >> 10);
                out.printf("  parquet-java (AvroParquetWriter) to local disk: %s rows/s, %s MB/s%n",
                        parquetJava.summary("%,.0f"), mbPerSecond(parquetJava, megabytes));
                out.printf("  tributary sink (decode, Parquet, upload, markers): %s rows/s, %s MB/s%n",
                        sink.summary("%,.0f"), mbPerSecond(sink, megabytes));
                out.printf("  sink / parquet-java, round by round: %s%n", Rounds.ratio(sink, parquetJava).summary("%.2f"));
                out.flush();
                if (!noConnect) {
                    connect(out, session, values, megabytes, parquetJava, sink, bucket, config);
                }

                memory(out, config, storage, dir, values, props);
            }
            return 0;
        }
    }

    /**
     * The Connect-level run on the same rows, its count check (one line and exit code 1 unless every
     * row written is in S3 once) and its figures against the in-process rounds'.
     */
    private void connect(PrintWriter out, StackSession session, byte[][] values, double megabytes, Rounds parquetJava,
                         Rounds sink, String bucket, S3SinkConfig config) throws Exception {
        Path logs = Files.createTempDirectory("tributary-bench-sink-connect-");
        SinkConnectRound.Result run = new SinkConnectRound(session.config(), new StackCpu(session.pid()), logs, out)
                .run(values, records, PARTITIONS, i -> scatteredTime(i, hours), config.flushSize(), connectFlushMs);
        if (!run.lake().exactly(records)) {
            throw new CliError(String.format("count check failed: the Connect run's lake holds %,d rows (%,d distinct event "
                    + "ids) for %,d rows written; the worker's log is in %s", run.lake().rows(), run.lake().eventIds(),
                    records, logs));
        }
        try (S3Client s3 = LocalS3.client(session.config())) {
            SinkConnectRound.report(out, run, megabytes, parquetJava, sink,
                    SinkConnectRound.Objects.under(s3, bucket, "sink-" + (sink.count() - 1)));
        }
    }

    /**
     * Opens {@code openFiles} hours over the partitions with {@code rowsPerFile} app_events rows each and
     * compares the live heap with the estimate.
     */
    private void memory(PrintWriter out, S3SinkConfig base, S3Storage storage, Path dir, byte[][] values,
                        Map<String, String> props) throws Exception {
        Map<String, String> p = new HashMap<>(props);
        p.put(S3SinkConfig.TOPICS_DIR, "memory");
        p.put(S3SinkConfig.MAX_OPEN_FILES, String.valueOf(openFiles + 1));
        p.put(S3SinkConfig.MAX_BUFFERED_BYTES, String.valueOf(Long.MAX_VALUE / 2));
        S3SinkConfig config = new S3SinkConfig(p);
        int total = openFiles * rowsPerFile;
        RecordDecoder decoder = RecordDecoder.of(config);
        long before = liveHeap();
        try (LocalBuffer buffer = new LocalBuffer(dir)) {
            SinkWriter writer = new SinkWriter(config, storage, buffer);
            TopicPartition[] tps = partitions(writer);
            for (int i = 0; i < total; i++) {
                int file = i % openFiles;
                TopicPartition tp = tps[file % PARTITIONS];
                RecordDecoder.Decoded d = decoder.decode(record(tp, i, values[i], START + file * HOUR));
                writer.write(tp, i, d.time(), d.value(), d.bytes(), 0);
            }
            long live = liveHeap() - before;
            long estimate = writer.estimatedHeapBytes();
            out.printf("%nMemory with %d hours open at once over %d partitions (%,d app_events rows of ~%d bytes in each, "
                    + "codec %s, page %d KiB):%n", writer.openFileCount(), PARTITIONS, rowsPerFile, values[0].length,
                    config.codec(), config.pageBytes() / 1024);
            out.printf("  live heap held by the open files: %,7d KiB per file (%,d MiB in all)%n",
                    live / openFiles / 1024, live / 1024 / 1024);
            out.printf("  the sink's estimate:              %,7d KiB per file (%,d MiB in all); estimate / live = %.2f%n",
                    estimate / openFiles / 1024, estimate / 1024 / 1024, (double) estimate / live);
            writer.closeAll();
        }
    }

    /**
     * The baseline: parquet-java's AvroParquetWriter writes the decoded rows to local files, one per
     * partition-hour, rotated at flush.size, with the sink's codec, row-group and page sizes and
     * 3-level lists, as the sink's files are; no decoding, no upload.
     */
    private double parquetJava(S3SinkConfig config, List<GenericRecord> rows, Path dir) throws IOException {
        Files.createDirectories(dir);
        Configuration conf = new Configuration(false);
        conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
        Map<String, ParquetWriter<GenericRecord>> open = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < records; i++) {
            LakePath.HourPartition h = LakePath.hourOf(scatteredTime(i, hours));
            String group = (i % PARTITIONS) + "-" + h.dt() + "-" + h.hour();
            ParquetWriter<GenericRecord> writer = open.get(group);
            if (writer == null) {
                GenericRecord row = rows.get(i);
                writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(dir.resolve(group + "+" + i + ".parquet")))
                        .withSchema(row.getSchema()).withDataModel(GenericData.get()).withConf(conf)
                        .withCompressionCodec(CompressionCodecName.valueOf(config.codec().toUpperCase(Locale.ROOT)))
                        .withRowGroupSize(config.rowGroupBytes()).withPageSize(config.pageBytes()).build();
                open.put(group, writer);
            }
            writer.write(rows.get(i));
            if (counts.merge(group, 1, Integer::sum) >= config.flushSize()) {
                open.remove(group).close();
                counts.remove(group);
            }
        }
        for (ParquetWriter<GenericRecord> writer : open.values()) {
            writer.close();
        }
        double rate = records / ((System.nanoTime() - start) / 1e9);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        return rate;
    }

    private String mbPerSecond(Rounds rowsPerSecond, double megabytes) {
        Rounds mb = new Rounds(rowsPerSecond.count() - 1);
        for (int i = 0; i < mb.count(); i++) {
            mb.set(i, rowsPerSecond.get(i) * megabytes / records);
        }
        return mb.summary("%,.1f");
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
            TopicPartition[] tps = partitions(writer);
            for (int i = 0; i < records; i++) {
                TopicPartition tp = tps[i % PARTITIONS];
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
        return records / ((System.nanoTime() - start) / 1e9);
    }

    /** The bench topic's partitions, opened on the writer as the task opens its assignment. */
    private static TopicPartition[] partitions(SinkWriter writer) throws IOException {
        TopicPartition[] tps = new TopicPartition[PARTITIONS];
        for (int i = 0; i < tps.length; i++) {
            tps[i] = new TopicPartition(TOPIC, i);
            writer.open(tps[i]);
        }
        return tps;
    }

    private long scatteredTime(long i, int spread) {
        long t = START + i * spread * HOUR / records;
        return i % 20 == 0 ? t - (i * 7919 % (6 * HOUR)) : t;
    }

    private static SinkRecord record(TopicPartition tp, long offset, byte[] value, long time) {
        return new SinkRecord(tp.topic(), tp.partition(), null, null, null, value, offset, time, TimestampType.CREATE_TIME);
    }

    private static byte[][] serialize(String registryUrl, List<GenericRecord> rows) {
        byte[][] values = new byte[rows.size()][];
        try (AvroSerializer serializer = new AvroSerializer(Map.of("schema.registry.url", registryUrl), false)) {
            for (int i = 0; i < values.length; i++) {
                values[i] = serializer.serialize(TOPIC, rows.get(i));
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
