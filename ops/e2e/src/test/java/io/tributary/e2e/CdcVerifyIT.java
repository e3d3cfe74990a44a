package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.cli.CliRun;
import io.tributary.cli.common.Settings;
import io.tributary.cli.common.TributaryHome;
import io.tributary.dev.reliability.CdcTopicReader;
import io.tributary.dev.reliability.FaultRun;
import io.tributary.dev.reliability.LedgerDatabase;
import io.tributary.dev.stack.LocalStackSettings;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * `tributary cdc verify` on the real stack: after changes of ten known rows are lost between
 * Debezium and the streams app (deleted from the CDC topic while the app was down), verify names
 * exactly those keys as missing, different or extra; --heal restores them (an incremental snapshot
 * for rows the database has, delete rows for the others), and a second verify is clean.
 */
@ExtendWith(DevStackExtension.class)
class CdcVerifyIT {
    @TempDir
    Path work;

    @Test
    void verifyNamesExactlyTheKeysWhoseChangesWereLostAndHealRestoresThem(DevStack stack) throws Exception {
        String run = DevStack.uniqueName("v").replace("-", "");
        try (FaultRun pipeline = new FaultRun(stack.stack(), TributaryHome.connectorConfigs(), work, run,
                new PrintWriter(System.out, true))) {
            pipeline.start(0.0);
            pipeline.drive(Duration.ofSeconds(20), 5, 10, List.of());
            pipeline.awaitCdcDelivery(Duration.ofMinutes(2));
            pipeline.drain(Duration.ofMinutes(3));
            Settings local = LocalStackSettings.of(stack.config()); // as ./tributary gets a running stack's endpoints
            Path configs = writeConnectorConfigs(pipeline);
            String table = pipeline.pipeline().database() + "." + LedgerDatabase.TABLE;
            String[] verify = {"cdc", "verify", "--dir", configs.toString(),
                    "--table", table, "--bucket", pipeline.pipeline().bucket(), "--settle", "5s",
                    "--lake-topic-prefix", pipeline.pipeline().lakeTopicPrefix()};

            CliRun clean = CliRun.with(local, verify);
            assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();
            assertThat(clean.out()).contains(table + ": ").contains("differ: OK");

            List<Long> ids = new ArrayList<>(pipeline.pipeline().ledger().rows().keySet());
            List<String> updated = List.of(ids.get(0), ids.get(1), ids.get(2), ids.get(3), ids.get(4)).stream().map(String::valueOf).toList();
            List<String> deleted = List.of(ids.get(5), ids.get(6)).stream().map(String::valueOf).toList();
            List<String> inserted = loseChanges(stack, pipeline, updated, deleted);

            CliRun diverged = CliRun.with(local, verify);
            assertThat(diverged.exitCode()).as(diverged.out() + diverged.err()).isEqualTo(1);
            assertThat(diverged.out()).contains("10 divergent rows")
                    .contains("missing from the lake: 3 keys: " + String.join(", ", inserted))
                    .contains("in the lake but deleted in the database: 2 keys: " + String.join(", ", deleted))
                    .contains("different in the lake: 5 keys: " + String.join(", ", updated));

            String[] healing = Arrays.copyOf(verify, verify.length + 1);
            healing[verify.length] = "--heal";
            CliRun healed = CliRun.with(local, healing);
            assertThat(healed.exitCode()).as(healed.out() + healed.err()).isZero();
            assertThat(healed.out()).contains("incremental snapshot of 8 keys").contains("wrote 2 delete rows");

            CliRun again = CliRun.with(local, verify);
            assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
            assertThat(again.out()).contains("differ: OK");

            resnapshotSendsEveryRowAgain(stack, pipeline, local, configs, table, verify);
        }
    }

    /**
     * `cdc resnapshot` of the whole table: it waits for Debezium's COMPLETED notification and prints the
     * rows read, every row of the table reaches the lake again as _op = r, and verify stays clean.
     */
    private static void resnapshotSendsEveryRowAgain(DevStack stack, FaultRun pipeline, Settings local, Path configs, String table,
            String[] verify) throws Exception {
        long started = System.nanoTime();
        long since = System.currentTimeMillis() / 1000 * 1000 - 1000; // source.ts_ms has whole seconds
        long rows;
        try (Connection c = stack.jdbc(pipeline.pipeline().database()); Statement st = c.createStatement();
             var r = st.executeQuery("SELECT count(*) FROM " + LedgerDatabase.TABLE)) {
            r.next();
            rows = r.getLong(1);
        }
        CliRun resnapshot = CliRun.with(local, "cdc", "resnapshot", "--dir", configs.toString(), "--table", table, "--wait", "2m");
        assertThat(resnapshot.exitCode()).as(resnapshot.out() + resnapshot.err()).isZero();
        assertThat(resnapshot.out()).contains(String.format("%s: incremental snapshot complete, %,d rows read", table, rows));
        pipeline.drain(Duration.ofMinutes(3));
        CliRun lake = CliRun.with(local, "query", "--bucket", pipeline.pipeline().bucket(), "--csv", "SELECT count(*) AS r, "
                + "count(DISTINCT id) AS ids FROM " + LedgerDatabase.TABLE + " WHERE _op = 'r' AND epoch_ms(_source_ts) >= " + since);
        assertThat(lake.exitCode()).as(lake.out() + lake.err()).isZero();
        assertThat(lake.out().lines().skip(1).findFirst().orElse("")).as("the snapshot's rows in the lake, and their keys")
                .isEqualTo(rows + "," + rows);
        CliRun clean = CliRun.with(local, verify);
        assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();
        assertThat(clean.out()).contains("differ: OK");
        System.out.printf("resnapshot phase: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /**
     * With the streams app stopped, updates five rows, deletes two and inserts three, waits until
     * Debezium has them on its topic, then deletes every record of the topic: the app never sees those
     * changes. Returns the inserted ids.
     */
    private static List<String> loseChanges(DevStack stack, FaultRun pipeline, List<String> updated, List<String> deleted)
            throws Exception {
        pipeline.pipeline().app().stop();
        List<String> inserted = new ArrayList<>();
        try (Connection c = stack.jdbc(pipeline.pipeline().database()); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE orders SET status = 'lost', version = version + 1 WHERE id IN (" + String.join(",", updated) + ")");
            st.executeUpdate("DELETE FROM orders WHERE id IN (" + String.join(",", deleted) + ")");
            for (int i = 0; i < 3; i++) {
                st.executeUpdate("INSERT INTO orders (status, amount, version) VALUES ('lost', 1.00, 1)", Statement.RETURN_GENERATED_KEYS);
                try (var keys = st.getGeneratedKeys()) {
                    keys.next();
                    inserted.add(keys.getString(1));
                }
            }
        }
        String topic = pipeline.pipeline().cdcTopic(LedgerDatabase.TABLE);
        CdcTopicReader.read(stack.config().bootstrapServers(), topic,
                counts -> counts.keySet().stream().filter(ch -> ch.version() > 0 && "c".equals(ch.op())
                        && inserted.contains(String.valueOf(ch.id()))).count() == 3, Duration.ofMinutes(1));
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        stack.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
        stack.admin().listOffsets(latest).all().get().forEach((tp, o) -> delete.put(tp, RecordsToDelete.beforeOffset(o.offset())));
        stack.admin().deleteRecords(delete).all().get();
        pipeline.pipeline().app().start(io.tributary.dev.reliability.IsolatedPipeline.PII_SALT, Duration.ofMinutes(3));
        pipeline.drain(Duration.ofMinutes(3));
        return inserted;
    }

    /** The run's connector configs as files, where `cdc verify --dir` finds its tables and signal table. */
    private static Path writeConnectorConfigs(FaultRun pipeline) throws Exception {
        Path dir = Files.createTempDirectory("cdc-verify-configs");
        ObjectMapper json = new ObjectMapper();
        for (Map.Entry<String, Map<String, String>> c : pipeline.pipeline().connectorConfigs().entrySet()) {
            json.writeValue(dir.resolve(c.getKey() + ".json").toFile(), Map.of("name", c.getKey(), "config", c.getValue()));
        }
        return dir;
    }


}
