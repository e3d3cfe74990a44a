package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.cli.CliRun;
import io.tributary.cli.Tributary;
import io.tributary.cli.common.Settings;
import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.compact.Compactor;
import io.tributary.dev.demo.EventSender;
import io.tributary.dev.reliability.FaultRun;
import io.tributary.dev.stack.LocalStackSettings;
import io.tributary.devstack.connect.ConnectWorker;
import io.tributary.lake.store.S3Storage;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.lake.PartitionFolder;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * `tributary compact` SIGKILLed in the middle of a replacement, over what the real pipeline wrote:
 * events of a whole UTC day (600 over yesterday's 24 hours, one in seven out of order into any hour
 * of the day, so the sink writes late rows as extra small files) go
 * through the streams app and the S3 sink of an isolated pipeline on the local stack. A
 * compactor child JVM is killed with {@code kill -9} while a replacement is journaled (its swap index
 * object exists), the lake then still holds every event, and a long-lived compactor takes the dead
 * one's leases over after their TTL and finishes the interrupted replacement and the rest (events of the open hour follow each batch, so that the sink's marker
 * releases the batch's files; see sendTail). Then every event is in the lake exactly once and in its event hour, each
 * hour is one object, and lake_partitions and the _SUCCESS markers hold the hours' rows, files and
 * bytes. Late events sent after that reopen four hours spread over the day; the next pass folds them
 * in and updates the counts.
 */
@ExtendWith(DevStackExtension.class)
class CompactionKillIT {
    private static final int EVENTS = 600;
    /** Hours of the day that late events reach after they were compacted. */
    private static final List<Integer> REOPENED = List.of(1, 7, 13, 22);
    private static final LakePath PATHS = new LakePath("lake");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    /** The event time each sent event gets: set before each send. */
    private static final class SettableClock extends Clock {
        private Instant now = Instant.EPOCH;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void killedMidSwapAndRunAgainEveryEventIsOnceInItsHourAndHoursAreComplete(DevStack stack) throws Exception {
        String run = DevStack.uniqueName("k").replace("-", "");
        try (FaultRun pipeline = new FaultRun(stack.stack(), TributaryHome.connectorConfigs(), work, run,
                new PrintWriter(System.out, true))) {
            pipeline.start(0.0);
            String bucket = pipeline.pipeline().bucket();
            Instant base = LocalDate.now(ZoneOffset.UTC).minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            SettableClock clock = new SettableClock();
            try (EventSender events = new EventSender(stack.config().bootstrapServers(), pipeline.pipeline().eventsTopic(),
                    "evt-" + run + "-", 0, clock)) {
                for (int i = 0; i < EVENTS; i++) {
                    clock.now = i % 7 == 3 ? base.plus(Duration.ofMinutes(60L * (i % 24) + 17)) : base.plusSeconds(86_400L / EVENTS * i);
                    events.sendOne();
                    if (i % 50 == 49) {
                        events.flush();
                        Thread.sleep(2_000); // several sink flushes per hour: many small objects
                    }
                }
                events.flush();
                sendTail(stack, pipeline, run, 1);
                assertThat(events.sent()).hasSize(EVENTS);

                Settings local = LocalStackSettings.of(stack.config());
                String[] compact = {"compact", "--bucket", bucket, "--lateness", "1m", "--horizon", "3d", "--tables", "app_events"};
                int interrupted = 0;
                for (int attempt = 0; attempt < 6 && interrupted == 0; attempt++) {
                    interrupted += killDuringASwap(stack, bucket, compact) ? 1 : 0;
                    assertEveryEventVisible(local, bucket, events.sent().size(), run);
                }
                assertThat(interrupted).as("a kill -9 hit a journaled replacement").isEqualTo(1);

                // The killed compactor's lease is taken over once it stayed unchanged for the lease TTL (here 10 s)
                // as one process watches it, so a long-lived compactor finishes the job, as `compact --every` does.
                int recovered = finishInProcess(stack, bucket);
                assertThat(recovered).as("interrupted replacements finished").isPositive();
                assertThat(keys(stack, bucket, PATHS.swapIndexRoot())).isEmpty();
                assertCompacted(stack, local, bucket, events.sent(), run);

                // Late events for four compacted hours: they reopen them, the next pass folds them in.
                Instant lateSent = Instant.now();
                for (int i = 0; i < 40; i++) {
                    clock.now = base.plus(Duration.ofMinutes(60L * REOPENED.get(i % REOPENED.size()) + 5)).plusSeconds(i);
                    events.sendOne();
                }
                events.flush();
                sendTail(stack, pipeline, run, 2);
                assertThat(events.sent()).hasSize(EVENTS + 40);
                CliRun again = CliRun.with(local, compact);
                assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
                // The four reopened hours (and the tail's hour, should the test have run past its end).
                assertThat(again.out()).containsPattern(" [45] compacted ");
                Map<String, Instant> compactedAt = assertCompacted(stack, local, bucket, events.sent(), run);
                for (int hour : REOPENED) {
                    LakePath.HourPartition h = LakePath.hourOf(base.plus(Duration.ofHours(hour)).toEpochMilli());
                    String key = h.dt() + "," + h.hour();
                    assertThat(compactedAt.get(key)).as("%s folded in after the late events", key).isAfter(lateSent);
                }
            }
        }
    }

    /**
     * Once the batch is in S3, events of the current (open) hour, then waits until they are too. The sink names the
     * files of its last upload round in its marker until its next round (it may write them again
     * after a takeover), so the files that hold the test's events only become final, and their hours
     * complete, once the sink has written something after them.
     */
    private static void sendTail(DevStack stack, FaultRun pipeline, String run, int round) throws Exception {
        pipeline.drain(Duration.ofMinutes(3)); // first the batch's own files, so that the tail goes in a later upload round
        try (EventSender tail = new EventSender(stack.config().bootstrapServers(), pipeline.pipeline().eventsTopic(),
                "tail-" + run + "-" + round + "-", 0, Clock.systemUTC())) {
            for (int i = 0; i < 60; i++) {
                tail.sendOne();
            }
            tail.flush();
        }
        pipeline.drain(Duration.ofMinutes(3));
    }

    /** Runs the compactor in a child JVM and kill -9s it once a replacement is journaled; true when one was interrupted. */
    private boolean killDuringASwap(DevStack stack, String bucket, String[] compact) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Tributary.class.getName()));
        command.addAll(List.of(compact));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("compactor.log").toFile()));
        builder.environment().putAll(ConnectWorker.environment(stack.config()));
        builder.environment().put("TRIBUTARY_WORK_DIR", Files.createDirectories(work.resolve("compactor")).toString());
        Process child = builder.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (child.isAlive() && System.nanoTime() < deadline) {
            if (!keys(stack, bucket, PATHS.swapIndexRoot()).isEmpty()) {
                new ProcessBuilder("kill", "-9", String.valueOf(child.pid())).inheritIO().start().waitFor();
                break;
            }
        }
        assertThat(child.waitFor(1, TimeUnit.MINUTES)).as("the compactor ended").isTrue();
        boolean killed = child.exitValue() == 128 + 9;
        System.out.printf("compactor child: exit %d, swap index objects left: %d%n", child.exitValue(),
                keys(stack, bucket, PATHS.swapIndexRoot()).size());
        return killed && !keys(stack, bucket, PATHS.swapIndexRoot()).isEmpty();
    }

    /** Compaction passes in this process until none finds a busy hour; returns the interrupted replacements finished. */
    private int finishInProcess(DevStack stack, String bucket) throws Exception {
        // Not closed: closing it would close the stack's S3 client, which the other tests of this JVM share.
        S3Storage store = new S3Storage(stack.s3(), bucket, 16 << 20, "", "");
        Compactor compactor = new Compactor(store, PATHS, Files.createDirectories(work.resolve("finish")),
                new Compactor.Settings(128 << 20, Duration.ofMinutes(1), Duration.ofDays(3), Duration.ofSeconds(10), Duration.ofHours(1)),
                Clock.systemUTC());
        int recovered = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            Compactor.Pass pass = compactor.pass(List.of("app_events"));
            System.out.println("in-process pass: " + pass);
            recovered += pass.recovered();
            if (pass.busy() == 0 && keys(stack, bucket, PATHS.swapIndexRoot()).isEmpty()) {
                return recovered;
            }
            assertThat(System.nanoTime()).as("the killed compactor's leases were taken over").isLessThan(deadline);
            Thread.sleep(3_000);
        }
    }

    /** Between a kill and the next pass: no event is missing (a row may be visible twice, never zero times). */
    private static void assertEveryEventVisible(Settings local, String bucket, int sent, String run) {
        CliRun q = CliRun.with(local, "query", "--csv", "--bucket", bucket,
                "SELECT count(DISTINCT event_id) FROM app_events WHERE event_id LIKE 'evt-" + run + "-%'");
        assertThat(q.out().lines().toList()).as(q.err()).element(1).isEqualTo(String.valueOf(sent));
    }

    /**
     * Every event once in its event hour; each of their hours one object, described exactly (rows, files,
     * bytes, not reopened) by its lake_partitions row and its _SUCCESS marker. Returns each hour's compacted_at.
     */
    private static Map<String, Instant> assertCompacted(DevStack stack, Settings local, String bucket,
                                                        Map<String, EventSender.Sent> sent, String run) throws Exception {
        Map<String, String> expectedHour = new HashMap<>();
        Map<String, Long> perHour = new TreeMap<>();
        sent.forEach((id, s) -> {
            LakePath.HourPartition h = LakePath.hourOf(s.time());
            expectedHour.put(id, h.dt() + "," + h.hour());
            perHour.merge(h.dt() + "," + h.hour(), 1L, Long::sum);
        });
        CliRun rows = CliRun.with(local, "query", "--csv", "--bucket", bucket,
                "SELECT event_id, dt, hour FROM app_events WHERE event_id LIKE 'evt-" + run + "-%'");
        assertThat(rows.exitCode()).as(rows.err()).isZero();
        Map<String, String> found = new HashMap<>();
        rows.out().lines().skip(1).forEach(line -> {
            String[] f = line.split(",");
            assertThat(found.put(f[0], f[1] + "," + f[2])).as("%s once", f[0]).isNull();
        });
        assertThat(found).as("every event exactly once, in its event hour").isEqualTo(expectedHour);

        Map<String, String> described = new TreeMap<>();
        Map<String, Instant> compactedAt = new TreeMap<>();
        CliRun partitions = CliRun.with(local, "query", "--csv", "--bucket", bucket, "SELECT dt, hour, rows, files, bytes, reopened, "
                + "epoch_ms(compacted_at) FROM lake_partitions WHERE table_name = 'app_events'");
        assertThat(partitions.exitCode()).as(partitions.err()).isZero();
        partitions.out().lines().skip(1).forEach(line -> {
            String[] f = line.split(",");
            described.put(f[0] + "," + f[1], f[2] + "," + f[3] + "," + f[4] + "," + f[5]);
            compactedAt.put(f[0] + "," + f[1], Instant.ofEpochMilli(Long.parseLong(f[6])));
        });
        described.keySet().retainAll(perHour.keySet()); // the tail's hour closes too if the test runs past its end
        Map<String, String> expected = new TreeMap<>();
        for (Map.Entry<String, Long> hour : perHour.entrySet()) {
            String[] dh = hour.getKey().split(",");
            PartitionFolder folder = PartitionFolder.hourly("app_events", new LakePath.HourPartition(dh[0], dh[1]));
            List<S3Object> objects = objects(stack, bucket, PATHS.folder(folder));
            assertThat(objects).as("objects of %s", hour.getKey()).hasSize(1);
            expected.put(hour.getKey(), hour.getValue() + ",1," + objects.get(0).size() + ",false");
            List<String> success = keys(stack, bucket, PATHS.successKey(folder));
            assertThat(success).as("_SUCCESS of %s", hour.getKey()).hasSize(1);
            JsonNode marker = JSON.readTree(stack.s3().getObjectAsBytes(b -> b.bucket(bucket).key(success.get(0))).asByteArray());
            assertThat(marker.path("rows").asLong() + "," + marker.path("files").asInt() + "," + marker.path("bytes").asLong())
                    .as("_SUCCESS of %s", hour.getKey()).isEqualTo(hour.getValue() + ",1," + objects.get(0).size());
        }
        assertThat(described).as("lake_partitions: each hour's rows, files, bytes, reopened").isEqualTo(expected);
        return compactedAt;
    }

    private static List<S3Object> objects(DevStack stack, String bucket, String prefix) {
        return stack.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().toList();
    }

    private static List<String> keys(DevStack stack, String bucket, String prefix) {
        return objects(stack, bucket, prefix).stream().map(S3Object::key).toList();
    }
}
