package io.tributary.dev.bench;

import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.common.WorkDirs;
import io.tributary.cli.compact.Compactor;
import io.tributary.cli.connectors.ConnectorFile;
import io.tributary.cli.lake.LocalLake;
import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.connect.s3.storage.SinkStorage;
import io.tributary.dev.demo.HourObjects;
import io.tributary.dev.stack.StackOptions;
import io.tributary.dev.stack.StackSession;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.s3.LocalS3;
import io.tributary.devstack.s3.S3Server;
import io.tributary.lake.store.S3Storage;
import io.tributary.schemas.lake.LakePath;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * `tributary bench compact`: objects and bytes per {@code app_events} table-hour as the sink writes them
 * at a given event rate with its 10 s freshness flush ({@link SimulatedSinkHours}), then after the
 * real compactor's pass over them ({@link Compactor}, as `tributary compact` runs it), with its
 * throughput, and the seed dashboard query (events per hour and source type) in DuckDB, the engine of
 * `tributary query`, before and after. Each rate writes into a bucket of its own on the stack's S3
 * server, deleted afterwards.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Benchmark compaction: app_events objects and bytes per table-hour at given event rates with the sink's "
                + "10 s flush, before and after the compactor, its MB/s, and the dashboard query in DuckDB before and after.")
public final class BenchCompactCommand implements Callable<Integer> {
    static final String SEED_QUERY = "SELECT date_trunc('hour', event_time) AS hour, source_type_name, count(*) AS events "
            + "FROM app_events GROUP BY 1, 2 ORDER BY 1, 2";
    /** The settings of the production sink that shape its files (the rest are the deployment's endpoints). */
    private static final List<String> FILE_SETTINGS = List.of(S3SinkConfig.PARQUET_CODEC, S3SinkConfig.FLUSH_SIZE,
            S3SinkConfig.ROTATE_SCHEDULE_INTERVAL_MS, S3SinkConfig.TOPICS_DIR, S3SinkConfig.TABLE_PREFIX_STRIP,
            S3SinkConfig.PARQUET_ROW_GROUP_BYTES, S3SinkConfig.PARQUET_PAGE_BYTES);
    private static final int QUERY_RUNS = 5;

    @Mixin
    StackOptions stackOptions;

    @Option(names = "--rates", split = ",", defaultValue = "20,500,5000", description = "Events per second to simulate (default ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(names = "--hours", defaultValue = "1", description = "Table-hours simulated per rate (default ${DEFAULT-VALUE}).")
    int hours;

    @Option(names = "--minutes-per-hour", defaultValue = "6",
            description = "Minutes of each hour that get events (the rest of the hour is quiet); 60 simulates full hours. Per-hour "
                    + "figures of a full hour are then derived as measured x 60 / this, and printed with the formula "
                    + "(default ${DEFAULT-VALUE}).")
    int minutesPerHour;

    @Option(names = "--pool", defaultValue = "50000", description = "Distinct app_events rows made by the pipeline's topology and "
            + "cycled (default ${DEFAULT-VALUE}).")
    int poolSize;

    @Option(names = "--target-mib", defaultValue = "128", description = "The compactor's --target-mib (default ${DEFAULT-VALUE}).")
    long targetMib;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (minutesPerHour < 1 || minutesPerHour > 60 || hours < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--minutes-per-hour must be 1..60 and --hours at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s; load average at start: %s (a shared machine: other work runs beside this bench)%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), CompactFigures.loadAverage());
        try (StackSession session = StackSession.open(stackOptions, out)) {
            StackConfig stack = session.config();
            System.setProperty("aws.accessKeyId", StackConfig.S3_ACCESS_KEY); // local stack only: the default chain reads these
            System.setProperty("aws.secretAccessKey", StackConfig.S3_SECRET_KEY);
            Path dir = Files.createTempDirectory("tributary-bench-compact");
            Map<String, String> sink = ConnectorFile.parse(TributaryHome.connectorConfigs().resolve("lake-sink.json")).config();
            out.printf("Making %,d app_events rows from WIDE events through the pipeline's topology ...%n", poolSize);
            out.flush();
            List<GenericRecord> pool = new BenchInput(BenchInput.Fixture.WIDE, 1000, poolSize).lakeRows(stack, dir.resolve("state"));
            SimulatedSinkHours writer = new SimulatedSinkHours(pool, out);
            // Hours that ended more than 2 h ago: the compactor's default idle close (1h) has closed them by the clock.
            long firstHour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(hours + 2L)).toEpochMilli();
            List<CompactFigures> results = new ArrayList<>();
            try (S3Client s3 = LocalS3.client(stack)) {
                for (int rate : rates) {
                    results.add(run(stack, s3, sink, writer, dir, rate, firstHour, out));
                }
            } finally {
                WorkDirs.deleteRecursively(dir);
            }
            CompactFigures.print(out, results, hours, minutesPerHour, targetMib << 20);
            out.printf("Load average at end: %s%n", CompactFigures.loadAverage());
            List<Integer> differing = results.stream().filter(f -> !f.rowsMatch()).map(CompactFigures::rate).toList();
            if (!differing.isEmpty()) {
                spec.commandLine().getErr().printf("error: at %s events/s the rows per hour read back after compaction differ from "
                        + "those before or from the rows written; see the table%n", differing);
                return 1;
            }
            return 0;
        }
    }

    private CompactFigures run(StackConfig stack, S3Client s3, Map<String, String> sink, SimulatedSinkHours writer, Path dir, int rate,
                               long firstHour, PrintWriter out) throws Exception {
        String bucket = "tributary-bench-compact-" + System.currentTimeMillis() + "-" + rate;
        Map<String, String> props = new HashMap<>();
        FILE_SETTINGS.stream().filter(sink::containsKey).forEach(k -> props.put(k, sink.get(k)));
        props.putAll(Map.of(S3SinkConfig.S3_BUCKET, bucket, S3SinkConfig.S3_ENDPOINT, stack.s3Endpoint(),
                S3SinkConfig.S3_PATH_STYLE, "true", S3SinkConfig.SCHEMA_REGISTRY_URL, stack.registryUrl(),
                S3SinkConfig.LOCAL_BUFFER_DIR, dir.toString()));
        S3SinkConfig config = new S3SinkConfig(props);
        String prefix = config.topicsDir();
        S3Server.ensureBucket(s3, bucket);
        Path mirror = dir.resolve("mirror-" + rate);
        try (S3Storage storage = SinkStorage.open(config)) {
            out.printf("%n%,d events/s: writing %d hour(s) of %d minute(s) each through the sink's writer (3 partitions, flush every %,d ms, "
                    + "codec %s) into s3://%s ...%n", rate, hours, minutesPerHour, config.rotateScheduleIntervalMs(),
                    config.codec(), bucket);
            out.flush();
            String topic = sink.getOrDefault(S3SinkConfig.TABLE_PREFIX_STRIP, "lake.") + SimulatedSinkHours.TABLE;
            long rows = writer.write(config, storage, dir.resolve("buffer"), topic, rate, firstHour, hours, minutesPerHour);
            CompactFigures.Side before = side(s3, bucket, prefix, mirror, out, "before");

            out.printf("  compacting (the compactor's pass, lateness 10m, idle close 1h, target %d MiB) ...%n", targetMib);
            out.flush();
            Compactor compactor = new Compactor(storage, new LakePath(prefix), Files.createDirectories(dir.resolve("work")),
                    new Compactor.Settings(targetMib << 20, Duration.ofMinutes(10), Duration.ofHours(hours + 4L), Duration.ofMinutes(2),
                            Duration.ofHours(1)), Clock.systemUTC());
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu = threads.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            Compactor.Pass pass = compactor.pass(List.of(SimulatedSinkHours.TABLE));
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
            out.printf("  compactor: %d closed hour(s), %d compacted, %d objects -> %d in %.1f s%n", pass.closedHours(), pass.compacted(),
                    pass.objectsBefore(), pass.objectsAfter(), seconds);
            CompactFigures.Side after = side(s3, bucket, prefix, mirror, out, "after");
            return new CompactFigures(rate, rows, before, after, seconds, cpuSeconds);
        } finally {
            deleteBucket(s3, bucket);
            WorkDirs.deleteRecursively(mirror);
        }
    }

    /** The run's bucket and everything in it (the local S3 server's disk is the stack's). */
    private static void deleteBucket(S3Client s3, String bucket) {
        List<ObjectIdentifier> keys = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            keys.add(ObjectIdentifier.builder().key(o.key()).build());
        }
        for (int i = 0; i < keys.size(); i += 1000) {
            List<ObjectIdentifier> batch = keys.subList(i, Math.min(keys.size(), i + 1000));
            s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch)));
        }
        s3.deleteBucket(b -> b.bucket(bucket));
    }

    /** The table's objects per hour, its rows per hour read back and the seed query's time and bytes, over a fresh mirror. */
    private static CompactFigures.Side side(S3Client s3, String bucket, String prefix, Path mirror, PrintWriter out, String when)
            throws Exception {
        Map<String, HourObjects.Count> objects = new HashMap<>(HourObjects.list(s3, bucket, prefix));
        objects.keySet().removeIf(folder -> !folder.startsWith(SimulatedSinkHours.TABLE + "/"));
        out.printf("  %s: copying the lake to local disk for DuckDB and running the dashboard query %d times ...%n", when, QUERY_RUNS + 1);
        out.flush();
        try (LocalLake lake = LocalLake.open(s3, bucket, prefix, mirror)) {
            return CompactFigures.Side.measure(objects, lake, mirror.resolve(prefix).resolve(SimulatedSinkHours.TABLE), QUERY_RUNS);
        }
    }
}
