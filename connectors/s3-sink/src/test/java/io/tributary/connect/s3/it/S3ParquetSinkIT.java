package io.tributary.connect.s3.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.devstack.connect.ConnectWorker;
import io.tributary.lake.marker.Owner;
import io.tributary.lake.marker.PartitionMarker;
import io.tributary.schemas.lake.LakePath;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import io.tributary.testing.FaultInjectingProxy;
import io.tributary.testing.GcLog;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink on the real stack: a Connect worker with the packaged plugin, the broker, the registry
 * and the S3 server. A million rows over three partitions and thirty event hours, one in twenty
 * late, are read back by DuckDB and must equal the input exactly, each row in its own hour.
 */
@ExtendWith(DevStackExtension.class)
class S3ParquetSinkIT {
    private static final int PARTITIONS = 3;
    private static final long ROWS = 1_000_000;
    /** The sink's memory cap (max.buffered.bytes.per.task) and the consumer's fetch buffer in the memory test. */
    private static final long SINK_BUFFER_MIB = 128;
    private static final long CONSUMER_FETCH_MIB = 32;

    @TempDir
    Path mirror;

    @Test
    void aMillionLateRowsLandExactlyOnceInTheirEventHourAndUnreadableRecordsAreDeadLettered(DevStack stack) throws Exception {
        String topic = stack.createTopic("lake.sink_clean", PARTITIONS);
        String bucket = stack.createBucket("sink-clean");
        String dlq = stack.createTopic("dlq.sink_clean", 1);
        LakeRows rows = LakeRows.advancing(ROWS, 30);
        SinkLoad load = new SinkLoad(stack.config().bootstrapServers(), stack.config().registryUrl(), topic, PARTITIONS, rows);
        load.produce(0);
        int garbage = load.produceGarbage(10);

        Map<String, String> config = SinkConnector.config(stack, topic, bucket, stack.config().s3Endpoint());
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        String name = DevStack.uniqueName("sink-clean");
        SinkConnector sink = new SinkConnector(stack, name, topic, PARTITIONS);
        Instant started = Instant.now();
        sink.deploy(config);
        sink.awaitCommitted(ROWS + garbage, Duration.ofMinutes(6), () -> { });
        System.out.printf("Sink committed %,d rows in %s%n", ROWS, Duration.between(started, Instant.now()));
        String topicId = stack.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic).topicId().toString();
        for (int p = 0; p < PARTITIONS; p++) {
            int partition = p;
            PartitionMarker marker = PartitionMarker.fromJson(stack.s3().getObjectAsBytes(b -> b.bucket(bucket)
                    .key(new LakePath(SinkConnector.PREFIX).markerKey(topic, partition))).asByteArray());
            assertThat(marker.owner()).as("partition %d's marker names the connector and the topic's id", p)
                    .contains(new Owner(name, topicId));
            assertThat(marker.generation()).isPositive();
        }

        LakeCheck.Result result = LakeCheck.check(stack.s3(), bucket, SinkConnector.PREFIX, topic.substring("lake.".length()),
                mirror, rows, load);
        System.out.println("Clean run: " + result);
        assertThat(result.problems()).isEmpty();
        assertThat(result.rows()).isEqualTo(ROWS);
        // Every unreadable record is dead-lettered, and nothing else; Connect may report one twice
        // (at least once: a partition re-read after a rebalance is reported again).
        DeadLetters.Read deadLetters = sink.deadLetters(dlq, garbage, Duration.ofSeconds(30));
        System.out.printf("Dead letters: %d records in %d reports%n", deadLetters.messageBySource().size(), deadLetters.reports());
        assertThat(deadLetters.messageBySource()).hasSize(garbage)
                .allSatisfy((source, message) -> assertThat(message).as(source).contains("magic byte"));
    }

    /**
     * Late data from three weeks back, scattered so that 500 hours are open at once: the worker's
     * live heap grows by less than max.buffered.bytes.per.task plus the consumer's fetch.max.bytes
     * over its idle baseline (the cap closes the files holding the most memory early), and every row
     * still lands once.
     */
    @Test
    void fiveHundredOpenHoursStayWithinTheMemoryBound(DevStack stack) throws Exception {
        String topic = stack.createTopic("lake.sink_memory", 1);
        String bucket = stack.createBucket("sink-memory");
        LakeRows rows = LakeRows.scattered(500_000, 500);
        SinkLoad load = new SinkLoad(stack.config().bootstrapServers(), stack.config().registryUrl(), topic, 1, rows);
        load.produce(0);
        Map<String, String> config = SinkConnector.config(stack, topic, bucket, stack.config().s3Endpoint());
        config.put("tasks.max", "1");
        config.put(S3SinkConfig.MAX_OPEN_FILES, "600");
        config.put(S3SinkConfig.MAX_BUFFERED_BYTES, String.valueOf(SINK_BUFFER_MIB * 1024 * 1024));
        config.put(S3SinkConfig.PARQUET_ROW_GROUP_BYTES, String.valueOf(1024 * 1024));
        config.put(S3SinkConfig.ROTATE_SCHEDULE_INTERVAL_MS, "60000");
        config.put("consumer.override.fetch.max.bytes", String.valueOf(CONSUMER_FETCH_MIB * 1024 * 1024));
        SinkConnector sink = new SinkConnector(stack, DevStack.uniqueName("sink-memory"), topic, 1);
        ConnectWorker worker = (ConnectWorker) stack.stack().component(ConnectWorker.NAME);
        long pid = worker.process().pid();
        Instant beforeLoad = Instant.now();
        GcLog.collect(pid);
        Instant from = Instant.now();
        long baseline = GcLog.peaks(worker.gcLog(), beforeLoad, from).maxLiveMiB();
        sink.deploy(config);
        sink.awaitCommitted(rows.count(), Duration.ofMinutes(6), () -> {
            try {
                GcLog.collect(pid); // a full collection every half second shows the live set as it grows
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        GcLog.HeapPeaks peaks = GcLog.peaks(worker.gcLog(), from, Instant.now());
        System.out.printf("500 open hours: worker baseline %d MiB live; during the load %s; sink share %d MiB (bound %d MiB)%n",
                baseline, peaks, peaks.maxLiveMiB() - baseline, SINK_BUFFER_MIB + CONSUMER_FETCH_MIB);

        LakeCheck.Result result = LakeCheck.check(stack.s3(), bucket, SinkConnector.PREFIX,
                topic.substring("lake.".length()), mirror, rows, load);
        System.out.println("Memory run: " + result);
        assertThat(result.problems()).isEmpty();
        assertThat(result.files()).as("every hour got a file, and the memory cap closed some early").isGreaterThan(500);
        assertThat(baseline).isPositive();
        assertThat(peaks.maxLiveMiB() - baseline).as("live heap the sink task added")
                .isLessThan(SINK_BUFFER_MIB + CONSUMER_FETCH_MIB);
    }

    /**
     * The same load while the worker is SIGKILLed five times at random moments and restarted, and
     * S3 (behind a fault-injecting proxy) fails one request in ten, half of them after the request
     * took effect. Still every row exactly once.
     */
    @Test
    void exactlyOnceThroughFiveWorkerKillsWhileS3FailsATenthOfRequests(DevStack stack) throws Exception {
        String topic = stack.createTopic("lake.sink_chaos", PARTITIONS);
        String bucket = stack.createBucket("sink-chaos");
        LakeRows rows = LakeRows.advancing(ROWS, 30);
        SinkLoad load = new SinkLoad(stack.config().bootstrapServers(), stack.config().registryUrl(), topic, PARTITIONS, rows);
        URI s3 = URI.create(stack.config().s3Endpoint());
        Random random = new Random(20261122);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(s3.getHost(), s3.getPort(), 0.1, random.nextLong())) {
            SinkConnector sink = new SinkConnector(stack, DevStack.uniqueName("sink-chaos"), topic, PARTITIONS);
            sink.deploy(SinkConnector.config(stack, topic, bucket, proxy.url()));
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                try {
                    load.produce(25_000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int kill = 1; kill <= 5; kill++) {
                // Mid-load while files are being uploaded; a kill after the sink committed everything
                // still checks that a restarted worker writes nothing twice.
                boolean midLoad = sink.awaitNewObjectsOrAllCommitted(bucket, ROWS, Duration.ofMinutes(3));
                Thread.sleep(random.nextInt(3_000));
                System.out.printf("Killing the Connect worker (kill %d, %,d rows produced%s)%n", kill, load.acknowledged(),
                        midLoad ? "" : ", after the sink had committed every row");
                stack.stack().kill(ConnectWorker.NAME);
                stack.stack().restart(ConnectWorker.NAME);
            }
            producing.get();
            sink.awaitCommitted(ROWS, Duration.ofMinutes(8), () -> { });
            System.out.println("Fault proxy: " + proxy.counts());
            assertThat(proxy.injectedFailures()).isPositive();
        }
        LakeCheck.Result result = LakeCheck.check(stack.s3(), bucket, SinkConnector.PREFIX, topic.substring("lake.".length()),
                mirror, rows, load);
        System.out.println("Chaos run: " + result);
        assertThat(result.problems()).isEmpty();
        assertThat(result.rows()).isEqualTo(ROWS);
    }
}
