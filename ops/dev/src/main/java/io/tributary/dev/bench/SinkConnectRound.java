package io.tributary.dev.bench;

import io.tributary.cli.common.CliError;
import io.tributary.cli.connectors.ApplyCommand;
import io.tributary.cli.connectors.ConnectRestClient;
import io.tributary.cli.connectors.ConnectorFile;
import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.dev.demo.LakeProgress;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.s3.LocalS3;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The Connect-level figure of `tributary bench sink`: the rows of the in-process rounds, as the same
 * Avro records with the same partitions and record times, in a lake topic of the run's own, drained by
 * the real S3 Parquet sink connector (the shipped {@code lake-sink.json}, as {@link LiveDrain} deploys
 * it) on a Connect worker the bench starts with the stack worker's settings and plugins. Timed from
 * the connector's creation until its group has committed every row (the sink commits only what is in
 * S3), so the figure includes the task's start, the consumer's fetches, the last files' freshness flush
 * and the worker's offset commit interval.
 */
final class SinkConnectRound {
    /** The Parquet objects under a prefix. */
    record Objects(long count, long bytes) {
        static Objects under(S3Client s3, String bucket, String prefix) {
            List<S3Object> parquet = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + "/")).contents().stream()
                    .filter(o -> o.key().endsWith(".parquet")).toList();
            return new Objects(parquet.size(), parquet.stream().mapToLong(S3Object::size).sum());
        }
    }

    /** The run: rows written to the topic, the time to every row committed, the CPU spent meanwhile, and what is in S3. */
    record Result(long rows, double seconds, long workerCpuNanos, long stackCpuNanos, LiveDrain.LakeCount lake, Objects written) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    private final StackConfig stack;
    private final StackCpu stackCpu;
    private final Path logs;
    private final PrintWriter out;

    SinkConnectRound(StackConfig stack, StackCpu stackCpu, Path logs, PrintWriter out) {
        this.stack = stack;
        this.stackCpu = stackCpu;
        this.logs = logs;
        this.out = out;
    }

    /**
     * Writes {@code values} (registry-serialized rows) to a new lake topic of {@code partitions}
     * partitions, row i to partition i % partitions with record time {@code time(i)} as the in-process
     * rounds deal them, and times the sink connector draining it with {@code flushSize} and
     * {@code flushMs}; deletes the connector, the worker and the run's topics at the end.
     */
    Result run(byte[][] values, int rows, int partitions, LongUnaryOperator time, int flushSize, long flushMs) throws Exception {
        String name = BenchStreamsCommand.uniqueName("bench_sink").replace('-', '_');
        String topic = name + ".lake." + LiveDrain.TABLE;
        String sink = LiveDrain.sinkName(name);
        out.printf("%nConnect-level: the sink connector on a Connect worker of the bench's own (logs in %s) ...%n", logs);
        out.flush();
        try (BenchConnectCluster cluster = BenchConnectCluster.start(stack, name + "-connect", 1, logs);
             Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()));
             LakeProgress progress = new LakeProgress(admin, stack.bootstrapServers(), name + ".lake.", sink, name)) {
            try {
                // The rows' record times are in the past: without these the broker would roll a segment per
                // batch (segment.ms counts from a segment's first timestamp) and delete them by retention.
                BenchTopics.create(stack, List.of(new NewTopic(topic, partitions, (short) 1).configs(Map.of(
                        "retention.ms", "-1", "segment.ms", String.valueOf(TimeUnit.DAYS.toMillis(36_500))))));
                produce(topic, values, rows, partitions, time);
                if (progress.records(topic) != rows) {
                    throw new CliError(String.format("the Connect run's topic %s holds %,d records after %,d were written; "
                            + "run the bench again", topic, progress.records(topic), rows));
                }
                ConnectorFile connector = connector(sink, name, flushSize, flushMs);
                out.printf("  connector: the shipped lake-sink.json (%s tasks, codec %s, offsets committed at the worker's "
                        + "offset.flush.interval.ms) with %s %s as the in-process rounds and %s %d (so the last open files "
                        + "close %.1f s after they open)%n", connector.config().get("tasks.max"),
                        connector.config().get(S3SinkConfig.PARQUET_CODEC), S3SinkConfig.FLUSH_SIZE, flushSize,
                        S3SinkConfig.ROTATE_SCHEDULE_INTERVAL_MS, flushMs, flushMs / 1000.0);
                out.printf("  input: the in-process rounds' %,d Avro records, partitions and record times in %s (%d partitions)%n",
                        rows, topic, partitions);
                out.flush();
                long workerBefore = workerCpu(cluster);
                long stackBefore = stackCpu.nanos(cluster.pids());
                long start = System.nanoTime();
                ApplyCommand.apply(List.of(connector), cluster.url(), Duration.ofMinutes(2), new PrintWriter(Writer.nullWriter()));
                awaitCommitted(progress, topic, rows, new ConnectRestClient(cluster.url()), sink);
                double seconds = (System.nanoTime() - start) / 1e9;
                long worker = workerCpu(cluster) - workerBefore;
                long stackServers = stackCpu.nanos(cluster.pids()) - stackBefore;
                try (S3Client s3 = LocalS3.client(stack)) {
                    return new Result(rows, seconds, worker, stackServers, LiveDrain.lakeCount(stack, name, logs),
                            Objects.under(s3, stack.bucket(), name));
                }
            } finally {
                LiveDrain.deleteSink(cluster.url(), name);
                BenchTopics.deleteRun(stack, name, out);
            }
        }
    }

    /**
     * Prints the run against the in-process rounds: MB/s with the same megabytes as theirs (the rows'
     * Avro encoding), so that the ratios in MB/s and rows/s are one; and the Parquet the two wrote.
     */
    static void report(PrintWriter out, Result run, double avroMegabytes, Rounds parquetJava, Rounds sink, Objects inProcess) {
        out.printf("  Connect sink, connector creation to every row committed (one run): %,.0f rows/s, %,.1f MB/s "
                        + "(%,d rows in %.1f s)%n", run.rowsPerSecond(), avroMegabytes / run.seconds(), run.rows(), run.seconds());
        out.printf("  CPU meanwhile: Connect worker %.1f s (%.3f s per 1,000 rows), the stack's servers %.1f s%n",
                run.workerCpuNanos() / 1e9, run.workerCpuNanos() / 1e9 * 1000 / run.rows(), run.stackCpuNanos() / 1e9);
        out.printf("  count check passed: %,d rows and %,d distinct event ids in S3 for %,d rows written%n", run.lake().rows(),
                run.lake().eventIds(), run.rows());
        out.printf("  Parquet written to S3: Connect %,d objects, %,.1f MB; in process (last round) %,d objects, %,.1f MB%n",
                run.written().count(), run.written().bytes() / 1e6, inProcess.count(), inProcess.bytes() / 1e6);
        out.printf("  MB/s on every line: MB of the rows' Avro encoding (%,.1f MB), one definition for every side%n", avroMegabytes);
        out.printf("  Connect / parquet-java (median): %.2f; Connect / in-process sink (median): %.2f%n",
                run.rowsPerSecond() / parquetJava.median(), run.rowsPerSecond() / sink.median());
    }

    /** The shipped lake sink for this run, rotating at {@code flushSize} rows and flushing files open {@code flushMs}. */
    private static ConnectorFile connector(String sink, String name, int flushSize, long flushMs) {
        ConnectorFile shipped = LiveDrain.sinkConnector(sink, name);
        Map<String, String> config = new HashMap<>(shipped.config());
        config.put(S3SinkConfig.FLUSH_SIZE, String.valueOf(flushSize));
        config.put(S3SinkConfig.ROTATE_SCHEDULE_INTERVAL_MS, String.valueOf(flushMs));
        return new ConnectorFile(shipped.path(), sink, config);
    }

    private void produce(String topic, byte[][] values, int rows, int partitions, LongUnaryOperator time) {
        SendFailures failures = new SendFailures();
        try (KafkaProducer<byte[], byte[]> producer = BenchInput.producer(stack)) {
            for (int i = 0; i < rows; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, time.applyAsLong(i), null, values[i]), failures);
            }
        }
        failures.check("the Connect run's input", rows);
    }

    /** Waits until the sink's group has committed every record of the topic, failing on a failed task or after 10 minutes. */
    private void awaitCommitted(LakeProgress progress, String topic, long rows, ConnectRestClient rest, String sink)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        long lastPrint = System.nanoTime();
        long committed;
        while ((committed = progress.sinkCommitted(topic)) < rows) {
            if (System.nanoTime() - lastPrint > 2_000_000_000L) {
                var status = rest.status(sink);
                if (!ConnectRestClient.failedTasks(status).isEmpty() || System.nanoTime() > deadline) {
                    throw new CliError(String.format("the Connect run's sink committed %,d of %,d rows (%s); see the "
                            + "worker's log in %s", committed, rows, ConnectRestClient.summary(status), logs));
                }
                out.printf("  Connect: %,d of %,d rows committed%n", committed, rows);
                out.flush();
                lastPrint = System.nanoTime();
            }
            Thread.sleep(100);
        }
    }

    private static long workerCpu(BenchConnectCluster cluster) {
        return cluster.pids().stream().mapToLong(BenchStreamsCommand::cpuNanos).sum();
    }
}
