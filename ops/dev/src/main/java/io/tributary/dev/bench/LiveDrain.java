package io.tributary.dev.bench;

import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.connectors.ApplyCommand;
import io.tributary.cli.connectors.ConnectRestClient;
import io.tributary.cli.connectors.ConnectorFile;
import io.tributary.cli.lake.LocalLake;
import io.tributary.dev.demo.LakeProgress;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.process.JavaProcess;
import io.tributary.devstack.process.ProcessComponent;
import io.tributary.devstack.s3.LocalS3;
import io.tributary.streams.TributaryStreamsApp;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Utils;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The live pipeline draining a backlog, as the replay and scale benchmarks time it: streams app
 * instances in JVMs of their own under a new application id (reading the events from the start, and
 * sharing its partitions when there are several), a lake sink connector made from the shipped
 * {@code lake-sink.json} on a Connect cluster, deployed as soon as the app has created its lake
 * topics and writing under a prefix of the round's own, timed from the apps' start until the sink's
 * group has committed every lake row (it commits only what is in S3).
 */
final class LiveDrain {
    static final String TABLE = "app_events";

    private final StackConfig stack;
    private final StackCpu stackCpu;
    private final Path logs;
    private final long events;
    private final long masters;

    LiveDrain(StackConfig stack, StackCpu stackCpu, Path logs, long events, long masters) {
        this.stack = stack;
        this.stackCpu = stackCpu;
        this.logs = logs;
        this.events = events;
        this.masters = masters;
    }

    /**
     * A drain's time and CPU: the streams apps' JVMs, the Connect workers' (when the bench started
     * them; the stack's own worker is in {@code stackCpuNanos}) and the stack's server processes.
     * {@code steadyCpuPerThousand} is the CPU of all of them per 1,000 lake rows the apps wrote
     * between a quarter and nine tenths of the backlog: the cost of the work without each JVM's
     * start-up, JIT and first rebalance (NaN when the drain was too short to sample that window).
     */
    record Drained(double seconds, long appCpuNanos, long workerCpuNanos, long stackCpuNanos, double steadyCpuPerThousand) {
        double eventsPerSecond(long events) {
            return events / seconds;
        }

        double cpuPerThousand(long events) {
            return (appCpuNanos + workerCpuNanos + stackCpuNanos) / 1e9 * 1000 / events;
        }
    }

    /**
     * Drains the backlog with {@code apps} streams app instances configured by {@code settings}
     * (application id and lake topic prefix {@code name}; each instance gets a state dir of its own,
     * which Kafka Streams locks) into a sink on the Connect cluster at
     * {@code connectUrl}, whose worker JVMs are {@code workerPids} (empty for the stack's own). Stops
     * the apps at the end; the sink connector stays, for the caller to delete ({@link #sinkName}).
     */
    Drained drain(String label, String name, Map<String, String> settings, int apps, String connectUrl, Set<Long> workerPids,
            PrintWriter out) throws Exception {
        String sink = sinkName(name);
        Set<Long> sides = new HashSet<>(workerPids);
        long stackBefore = stackCpu.nanos(sides);
        long workersBefore = cpu(workerPids);
        long start = System.nanoTime();
        List<JavaProcess> instances = new ArrayList<>();
        double steady = Double.NaN;
        try {
            for (int i = 1; i <= apps; i++) {
                String instance = apps == 1 ? "" : "-" + i;
                Path properties = BenchInput.propertiesFile(settings, logs.resolve(name + instance + ".properties"),
                        "tributary bench, " + name + instance);
                JavaProcess app = JavaProcess.start(label + " streams app" + instance, BenchStreamsCommand.classpath(),
                        List.of("-Dlog4j2.configurationFile=" + ProcessComponent.CHILD_LOG_CONFIG),
                        TributaryStreamsApp.class.getName(), List.of(properties.toString()), Map.of(), logs.resolve(name + "-streams-app" + instance + ".log"));
                instances.add(app);
                sides.add(app.pid());
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()));
                 LakeProgress progress = new LakeProgress(admin, stack.bootstrapServers(), name + ".lake.", sink, name)) {
                String lakeTopic = name + ".lake." + TABLE;
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
                while (!admin.listTopics().names().get().contains(lakeTopic)) {
                    alive(instances, deadline);
                    Thread.sleep(100);
                }
                ApplyCommand.apply(List.of(sinkConnector(sink, name)), connectUrl, Duration.ofMinutes(2),
                        new PrintWriter(Writer.nullWriter()));
                long lastPrint = System.nanoTime();
                long total = events + masters;
                CpuReading steadyFrom = null;
                CpuReading steadyTo = null;
                while (true) {
                    LakeProgress.Snapshot now = progress.snapshot();
                    if (now.drained() && now.lakeRecords() >= total) {
                        break;
                    }
                    if (steadyFrom == null && now.lakeRecords() >= total / 4) {
                        steadyFrom = new CpuReading(now.lakeRecords(), cpuNow(instances, workerPids, sides));
                    } else if (steadyFrom != null && steadyTo == null && now.lakeRecords() >= total * 9 / 10) {
                        steadyTo = new CpuReading(now.lakeRecords(), cpuNow(instances, workerPids, sides));
                        steady = steadyTo.perThousandSince(steadyFrom);
                    }
                    alive(instances, deadline);
                    if (System.nanoTime() - lastPrint > 2_000_000_000L) {
                        out.printf("  %s live: lake rows in S3 %,d of %,d, streams lag %,d%n", label, now.inS3(),
                                now.lakeRecords(), now.streamsLag());
                        out.flush();
                        lastPrint = System.nanoTime();
                    }
                    Thread.sleep(200);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long appCpu = 0;
            for (JavaProcess app : instances) {
                appCpu += BenchStreamsCommand.cpuNanos(app.pid());
            }
            Drained drained = new Drained(seconds, appCpu, cpu(workerPids) - workersBefore, stackCpu.nanos(sides) - stackBefore,
                    steady);
            out.printf("  %s live: %,d events drained to S3 in %.1f s; CPU %.1f s streams app%s + %s%.1f s stack%n", label,
                    events, seconds, appCpu / 1e9, apps == 1 ? "" : "s (" + apps + ")",
                    workerPids.isEmpty() ? "" : String.format("%.1f s Connect (%d) + ", drained.workerCpuNanos() / 1e9,
                            workerPids.size()), drained.stackCpuNanos() / 1e9);
            return drained;
        } finally {
            for (JavaProcess app : instances) {
                app.stop(Duration.ofSeconds(60)); // a replay after the drain needs only its committed offsets
            }
        }
    }

    /** Lake rows the apps had written and the CPU time of every process of the drain at that moment. */
    private record CpuReading(long lakeRows, long cpuNanos) {
        double perThousandSince(CpuReading earlier) {
            long rows = lakeRows - earlier.lakeRows;
            return rows == 0 ? Double.NaN : (cpuNanos - earlier.cpuNanos) / 1e9 * 1000 / rows;
        }
    }

    private long cpuNow(List<JavaProcess> apps, Set<Long> workerPids, Set<Long> sides) {
        long sum = cpu(workerPids) + stackCpu.nanos(sides);
        for (JavaProcess app : apps) {
            sum += BenchStreamsCommand.cpuNanos(app.pid());
        }
        return sum;
    }

    /** The round's lake sink connector's name. */
    static String sinkName(String name) {
        return name.replace('_', '-') + "-lake-sink";
    }

    /** Deletes the round's sink connector from the cluster at {@code connectUrl}. */
    static void deleteSink(String connectUrl, String name) {
        new ConnectRestClient(connectUrl).delete(sinkName(name));
    }

    /** The repository's lake sink, renamed, reading this round's lake topics and writing under the round's own prefix. */
    static ConnectorFile sinkConnector(String sink, String name) {
        ConnectorFile shipped = ConnectorFile.parse(TributaryHome.connectorConfigs().resolve("lake-sink.json"));
        Map<String, String> config = new HashMap<>(shipped.config());
        String lakePrefix = name + ".lake.";
        config.put("topics.regex", Pattern.quote(lakePrefix) + ".*");
        config.put("table.name.strip.prefix", lakePrefix);
        config.put("topics.dir", name);
        config.put("errors.deadletterqueue.topic.name", name + ".dlq.lake-sink");
        return new ConnectorFile(shipped.path(), sink, config);
    }

    /** Rows and distinct event ids of a round's {@code app_events} in S3. */
    record LakeCount(long rows, long eventIds) {
        boolean exactly(long events) {
            return rows == events && eventIds == events;
        }
    }

    /**
     * Reads the {@code app_events} the round's sink wrote under its prefix {@code name} back from S3
     * with DuckDB (through a local copy in {@code logs}, deleted after).
     */
    static LakeCount lakeCount(StackConfig stack, String name, Path logs) throws Exception {
        Path mirror = logs.resolve(name + "-lake");
        try (S3Client s3 = LocalS3.client(stack);
             LocalLake lake = LocalLake.open(s3, stack.bucket(), name, mirror);
             Statement st = lake.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT event_id) FROM " + TABLE)) {
            rs.next();
            return new LakeCount(rs.getLong(1), rs.getLong(2));
        } finally {
            Utils.delete(mirror.toFile());
        }
    }

    private static long cpu(Set<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += BenchStreamsCommand.cpuNanos(pid);
        }
        return sum;
    }

    private static void alive(List<JavaProcess> apps, long deadline) {
        for (JavaProcess app : apps) {
            if (!app.isAlive()) {
                throw new IllegalStateException(app.name() + " exited with code " + app.exitCode() + "; the end of "
                        + app.logFile() + ":\n" + app.logTail(30));
            }
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the live pipeline did not drain the backlog within 15 minutes");
        }
    }
}
