package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.CliRun;
import io.tributary.cli.common.Settings;
import io.tributary.cli.common.TributaryHome;
import io.tributary.dev.demo.DemoReport;
import io.tributary.dev.demo.DemoRun;
import io.tributary.devstack.connect.ConnectWorker;
import io.tributary.schemas.lake.LakePath;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * `tributary replay` on the real stack (issue #18): the demo load goes through the live pipeline,
 * then the range is replayed with a new PII rule (the city is hashed too), from Kafka and then from
 * the raw archive, each time while live events keep arriving, a third of them late for a replayed
 * hour. DuckDB then sees every event exactly once, the events below each cut with the new rule and
 * the as-of names the live run gave them, and every live event; a second identical replay changes no
 * object (keys and ETags). Last, a replay SIGKILLed mid-way and run again ends in the same objects as
 * one that was not killed.
 */
@ExtendWith(DevStackExtension.class)
class ReplayIT {
    private static final String CITY = "東京都渋谷区";
    private static final String NEW_RULE = "user_ip,user_profile_address_city";
    private static final String RULE_2 = NEW_RULE + ",user_profile_plan";

    @TempDir
    Path tmp;

    @Test
    void replayedHoursHoldEveryEventOnceWithTheNewRuleAndTheLiveLateRows(DevStack stack) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        try (DemoRun run = new DemoRun(stack.config(), connectorsFlushingOften(), 0, out)) {
            run.setUp();
            run.drive(Duration.ofSeconds(20), 20, second -> { });
            run.drain(Duration.ofMinutes(3));
            Map<String, String> env = environment(stack, run.pipelineConfig(), NEW_RULE, tmp.resolve("work"));
            Settings cli = env::get;
            String mine = "event_id LIKE '" + run.eventIdPrefix() + "%'";
            Instant loadStart = run.startedAt();
            String from = LakePath.hourOf(loadStart.toEpochMilli()).toString();
            // Two hours past now: the live events sent during the replays stay inside the range.
            String to = LakePath.hourOf(System.currentTimeMillis() + 2 * 3_600_000L).toString();
            String[] replay = {"replay", "--table", "app_events", "--from", from, "--to", to, "--wait", "3m"};

            // Nothing arrives now: a dry run reads no record and counts those the replay would read.
            CliRun dry = CliRun.with(cli, concat(replay, "--source", "kafka", "--dry-run"));
            assertThat(dry.exitCode()).as(dry.out() + dry.err()).isZero();
            long expectedRecords = recordsSince(stack, DemoRun.EVENTS_TOPIC, DemoRun.APPLICATION_ID,
                    LakePath.hourOf(loadStart.toEpochMilli()).startMillis() - run.pipelineConfig().maxFutureMs());
            assertThat(expectedRecords).isGreaterThanOrEqualTo(run.sender().good() + run.sender().bad());
            assertThat(dry.out()).contains(String.format("would read: %,d raw records of Kafka topic %s", expectedRecords,
                    DemoRun.EVENTS_TOPIC)).contains("dry run: nothing was changed");

            long liveSent = 0;
            for (String source : List.of("kafka", "archive")) {
                try (LiveEvents live = new LiveEvents(stack.config().bootstrapServers(), DemoRun.EVENTS_TOPIC, "live-" + source + "-",
                        LakePath.hourOf(loadStart.toEpochMilli()).startMillis())) {
                    // The archive replay reads two hours at a time.
                    CliRun r = CliRun.with(cli, concat(replay, "--source", source, "--parallelism", source.equals("archive") ? "2" : "1"));
                    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
                    assertThat(r.out()).containsPattern("[1-9]\\d* of \\d+ hours replaced, \\d+ unchanged, 0 refused");
                    Thread.sleep(1500); // live events after the replay: above its cut, they keep the live rule
                    liveSent += live.stop();
                }
                run.drain(Duration.ofMinutes(3));
                Map<String, String> lake = query(cli, "SELECT count(*) AS rows, count(DISTINCT event_id) AS ids, "
                        + "count(*) FILTER (WHERE " + mine + " AND user_profile_address_city = '" + CITY + "') AS old_rule, "
                        + "count(*) FILTER (WHERE " + mine + " AND length(user_profile_address_city) = 64) AS new_rule, "
                        + "count(*) FILTER (WHERE event_id LIKE 'live-%') AS live, "
                        + "count(*) FILTER (WHERE event_id LIKE 'live-%-late-%') AS late "
                        + "FROM app_events WHERE " + mine + " OR event_id LIKE 'live-%'");
                out.printf("after the %s replay: %s%n", source, lake);
                long expected = run.sender().good() + liveSent;
                assertThat(lake).as("every event exactly once after the %s replay", source)
                        .containsEntry("rows", String.valueOf(expected)).containsEntry("ids", String.valueOf(expected))
                        .containsEntry("old_rule", "0").containsEntry("new_rule", String.valueOf(run.sender().good()))
                        .containsEntry("live", String.valueOf(liveSent));
                assertThat(Long.parseLong(lake.get("late"))).as("late live events").isGreaterThan(0);
                // The replayed rows carry the names valid at their time, as the live run gave them (a master was renamed mid-load).
                assertThat(hourlyNames(cli, mine)).isEqualTo(run.expectedEventsPerHourAndName());
            }
            // Every live event is below the next cut: one more replay gives them the new rule; the one after changes nothing.
            String[] again = concat(replay, "--source", "kafka");
            CliRun third = CliRun.with(cli, again);
            assertThat(third.exitCode()).as(third.out() + third.err()).isZero();
            assertThat(query(cli, "SELECT count(*) FILTER (WHERE user_profile_address_city = '" + CITY + "') AS old_rule, "
                    + "count(*) AS rows FROM app_events WHERE " + mine + " OR event_id LIKE 'live-%'"))
                    .containsEntry("old_rule", "0").containsEntry("rows", String.valueOf(run.sender().good() + liveSent));
            String bucket = stack.config().bucket();
            Map<String, String> before = etags(stack, bucket);
            CliRun fourth = CliRun.with(cli, again);
            assertThat(fourth.exitCode()).as(fourth.out() + fourth.err()).isZero();
            assertThat(fourth.out()).containsPattern("(?m)^0 of \\d+ hours replaced, \\d+ unchanged, 0 refused");
            assertThat(etags(stack, bucket)).as("keys and ETags after an identical replay").isEqualTo(before);

            CliRun verify = CliRun.with(cli, "athena", "verify", "--ddl-dir", TributaryHome.athenaDdl().toString(), "app_events");
            assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();

            // One more rule: the replay SIGKILLed at random moments and run again until it finishes ends in the
            // objects that the same replay, run once without a kill on a copy of the bucket, ends in.
            String twin = stack.createBucket("replay-twin");
            etags(stack, bucket).keySet().forEach(key -> stack.s3().copyObject(b -> b.sourceBucket(bucket).sourceKey(key)
                    .destinationBucket(twin).destinationKey(key)));
            Map<String, String> twinEnv = new HashMap<>(environment(stack, run.pipelineConfig(), RULE_2, tmp.resolve("twin-work")));
            twinEnv.put("TRIBUTARY_LAKE_BUCKET", twin);
            CliRun reference = CliRun.with(twinEnv::get, again);
            assertThat(reference.exitCode()).as(reference.out() + reference.err()).isZero();
            assertThat(reference.out()).containsPattern("[1-9]\\d* of \\d+ hours replaced");
            KilledReplay child = new KilledReplay(environment(stack, run.pipelineConfig(), RULE_2, tmp.resolve("child-work")),
                    tmp.resolve("child.log"), 18);
            for (int kill = 0; kill < 3; kill++) {
                out.println("replay " + child.runAndKill(List.of(again), 3000));
            }
            assertThat(child.run(List.of(again))).as("the replay run again after the kills").isZero();
            assertThat(etags(stack, bucket)).as("keys and ETags of the killed replay vs one without a kill")
                    .isEqualTo(etags(stack, twin)).isNotEqualTo(before);
            assertThat(query(cli, "SELECT count(*) AS rows, count(DISTINCT event_id) AS ids, "
                    + "count(*) FILTER (WHERE length(user_profile_plan) = 64) AS new_rule FROM app_events WHERE " + mine
                    + " OR event_id LIKE 'live-%'")).as("after the killed replay")
                    .containsEntry("rows", String.valueOf(run.sender().good() + liveSent))
                    .containsEntry("ids", String.valueOf(run.sender().good() + liveSent))
                    .containsEntry("new_rule", String.valueOf(run.sender().good() + liveSent));

            replayTransactionsWhileTheyChange(stack, run, cli, from, to);
        }
    }

    /**
     * A CDC table replayed from the raw archive while the database keeps changing: every change is in
     * the lake once (key + _source_pos), transactions_current equals the database, and once the live
     * changes are below a cut too, a replay changes no object.
     */
    private static void replayTransactionsWhileTheyChange(DevStack stack, DemoRun run, Settings cli, String from, String to)
            throws Exception {
        long started = System.nanoTime();
        String[] replay = {"replay", "--table", "transactions", "--from", from, "--to", to, "--wait", "3m", "--source", "archive"};
        long since = run.startedAt().truncatedTo(ChronoUnit.SECONDS).toEpochMilli();
        long live;
        try (LiveTransactions changes = new LiveTransactions(stack)) {
            CliRun r = CliRun.with(cli, replay);
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("warm-up: ").containsPattern("[1-9]\\d* of \\d+ hours replaced, \\d+ unchanged, 0 refused");
            Thread.sleep(1000); // changes after the replay: above its cut
            live = changes.stop();
        }
        run.drain(Duration.ofMinutes(3));
        String mine = "epoch_ms(_source_ts) >= " + since;
        long expected = run.transactions().total() + live;
        assertThat(query(cli, "SELECT count(*) AS rows, count(DISTINCT CAST(id AS VARCHAR) || '@' || _source_pos) AS changes, "
                + "count(*) FILTER (WHERE status LIKE 'live%') AS live FROM transactions WHERE " + mine))
                .as("every change of transactions once after the replay")
                .containsEntry("rows", String.valueOf(expected)).containsEntry("changes", String.valueOf(expected));
        assertThat(currentTransactions(cli, mine)).as("transactions_current vs the database").isEqualTo(databaseTransactions(stack));
        String bucket = stack.config().bucket();
        CliRun again = CliRun.with(cli, replay); // the live changes are below this cut: their rows are replaced too
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        Map<String, String> before = etags(stack, bucket, "transactions");
        CliRun last = CliRun.with(cli, replay);
        assertThat(last.exitCode()).as(last.out() + last.err()).isZero();
        assertThat(last.out()).containsPattern("(?m)^0 of \\d+ hours replaced, \\d+ unchanged, 0 refused");
        assertThat(etags(stack, bucket, "transactions")).as("keys and ETags after an identical transactions replay").isEqualTo(before);
        assertThat(currentTransactions(cli, mine)).isEqualTo(databaseTransactions(stack));
        System.out.printf("transactions replay phase: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /** id,status,amount of transactions_current for the keys this run changed, by id. */
    private static List<String> currentTransactions(Settings cli, String mine) {
        CliRun q = CliRun.with(cli, "query", "--csv", "SELECT id, status, CAST(amount AS VARCHAR) AS amount FROM transactions_current "
                + "WHERE id IN (SELECT id FROM transactions WHERE " + mine + ") ORDER BY id");
        assertThat(q.exitCode()).as(q.err()).isZero();
        return q.out().lines().skip(1).toList();
    }

    private static List<String> databaseTransactions(DevStack stack) throws Exception {
        List<String> rows = new java.util.ArrayList<>();
        try (java.sql.Connection c = stack.jdbc("shop"); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet r = st.executeQuery("SELECT id, status, amount FROM transactions ORDER BY id")) {
            while (r.next()) {
                rows.add(r.getLong(1) + "," + r.getString(2) + "," + r.getBigDecimal(3).toPlainString());
            }
        }
        return rows;
    }

    /** The repository's connectors flushing often: the raw archive every 10 s (so an archive replay need not wait minutes), the lake sink every 3 s. */
    private Path connectorsFlushingOften() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("connectors"));
        try (var files = Files.list(TributaryHome.connectorConfigs())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                String text = Files.readString(f);
                String flushMs = switch (f.getFileName().toString()) {
                    case "raw-archive.json" -> "10000";
                    case "lake-sink.json" -> "3000"; // each replay waits for a live flush: 3 s, not the shipped 10
                    default -> null;
                };
                if (flushMs != null) {
                    text = text.replaceAll("\"rotate.schedule.interval.ms\": \"\\d+\"", "\"rotate.schedule.interval.ms\": \"" + flushMs + "\"");
                    assertThat(text).contains("\"rotate.schedule.interval.ms\": \"" + flushMs + "\"");
                }
                Files.writeString(dir.resolve(f.getFileName()), text);
            }
        }
        return dir;
    }

    /**
     * The production commands' settings, as environment variables: the stack's endpoints and the live
     * app's pipeline settings (its salt too), with one change, the PII hash rule.
     */
    private static Map<String, String> environment(DevStack stack, PipelineConfig live, String hashRule, Path workDir) {
        Map<String, String> env = new HashMap<>(ConnectWorker.environment(stack.config()));
        env.put("TRIBUTARY_WORK_DIR", workDir.toString());
        env.put(PipelineConfig.envName(PipelineConfig.BOOTSTRAP_SERVERS), stack.config().bootstrapServers());
        env.put(PipelineConfig.envName(PipelineConfig.SCHEMA_REGISTRY_URL), live.registryUrl());
        env.put(PipelineConfig.envName(PipelineConfig.APPLICATION_ID), live.getString(PipelineConfig.APPLICATION_ID));
        env.put(PipelineConfig.envName(PipelineConfig.PII_SALT), live.getPassword(PipelineConfig.PII_SALT).value());
        env.put(PipelineConfig.envName(PipelineConfig.PII_HASH), hashRule);
        return env;
    }

    private static Map<String, String> query(Settings cli, String sql) {
        CliRun q = CliRun.with(cli, "query", "--csv", sql);
        assertThat(q.exitCode()).as(q.err()).isZero();
        List<String> lines = q.out().lines().toList();
        String[] names = lines.get(0).split(",");
        String[] values = lines.get(1).split(",");
        Map<String, String> row = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            row.put(names[i], values[i]);
        }
        return row;
    }

    private static Map<String, Long> hourlyNames(Settings cli, String mine) {
        CliRun q = CliRun.with(cli, "query", "--csv", DemoReport.DASHBOARD_SQL.replace("${mine}", mine));
        assertThat(q.exitCode()).as(q.err()).isZero();
        Map<String, Long> actual = new TreeMap<>();
        q.out().lines().skip(1).forEach(line -> {
            int last = line.lastIndexOf(',');
            actual.put(line.substring(0, last), Long.parseLong(line.substring(last + 1)));
        });
        return actual;
    }

    private static Map<String, String> etags(DevStack stack, String bucket) {
        return etags(stack, bucket, "app_events");
    }

    private static Map<String, String> etags(DevStack stack, String bucket, String table) {
        Map<String, String> etags = new TreeMap<>();
        for (S3Object o : stack.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix("lake/" + table + "/")).contents()) {
            etags.put(o.key(), o.eTag());
        }
        return etags;
    }

    /** Counts, by reading them, the records of {@code topic} below the group's committed offsets with a timestamp from {@code since}. */
    private static long recordsSince(DevStack stack, String topic, String group, long since) throws Exception {
        Map<String, Object> props = Map.of("bootstrap.servers", stack.config().bootstrapServers(), "isolation.level", "read_committed");
        long count = 0;
        try (Admin admin = Admin.create(props);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
                if (!e.getKey().topic().equals(topic)) {
                    continue;
                }
                consumer.assign(List.of(e.getKey()));
                consumer.seekToBeginning(List.of(e.getKey()));
                long end = e.getValue().offset();
                while (consumer.position(e.getKey()) < end) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        if (r.offset() < end && r.timestamp() >= since) {
                            count++;
                        }
                    }
                }
            }
        }
        return count;
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
