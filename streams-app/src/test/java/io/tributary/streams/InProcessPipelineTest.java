package io.tributary.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.metrics.PipelineMetrics;
import io.tributary.streams.replay.InProcessPipeline.Input;
import io.tributary.streams.replay.InProcessPipeline;
import io.tributary.testing.DebeziumJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay runs the live topology: the same source records through the live app's topology
 * ({@link PipelineFixture}) and through {@link InProcessPipeline} give the same rows, in the same
 * order, with the same as-of enrichment and CDC de-duplication; its dead letters name the original
 * partition and offset; and an event is judged against its record's timestamp, so a replay accepts
 * what the live app accepted when it arrived.
 */
class InProcessPipelineTest {
    private static final Instant T = Instant.parse("2025-11-22T05:00:00Z");
    private final PipelineFixture live = new PipelineFixture();
    private final PipelineConfig config = new PipelineConfig(PipelineFixture.props(live.registryUrl, Map.of()));

    @TempDir
    Path state;

    @AfterEach
    void close() {
        live.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String event(String id, Instant time, long sourceType) {
        return "{\"event_id\":\"" + id + "\",\"event_time\":\"" + time + "\",\"user\":{\"id\":\"u-1\",\"ip\":\"203.0.113.7\"},"
                + "\"source_type_id\":" + sourceType + ",\"request\":{\"path\":\"/p\"}}";
    }

    @Test
    void eventsGetTheLiveRowsWithTheNamesValidAtTheirTime() {
        List<Input> history = List.of(
                master(1, "Web", T.minusSeconds(7200), 0),
                master(1, "Webサイト", T.minusSeconds(60), 1),
                master(2, "App", T.minusSeconds(7200), 2));
        List<Input> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Instant time = T.minusSeconds(3600 - i * 200L);
            events.add(new Input(PipelineFixture.EVENTS, i % 3, 100 + i, time.toEpochMilli() + 500, null,
                    utf8(event("e-" + i, time, 1 + i % 2)), null));
        }
        events.add(new Input(PipelineFixture.EVENTS, 2, 500, T.toEpochMilli(), null, utf8("{not json"), null));

        history.forEach(h -> live.pipeMasterChange(h.key(), h.value(), Instant.ofEpochMilli(h.timestamp())));
        events.forEach(e -> live.events.pipeInput(new TestRecord<>(e.key(), e.value(), Instant.ofEpochMilli(e.timestamp()))));
        List<TestRecord<String, GenericRecord>> expected = live.lakeEvents.readRecordsToList();

        List<InProcessPipeline.Row> rows = new ArrayList<>();
        List<GenericRecord> dead = new ArrayList<>();
        try (InProcessPipeline replay = InProcessPipeline.of(config, "app_events", state, PipelineMetrics.discarding())) {
            assertThat(replay.topics()).containsExactlyInAnyOrder(PipelineFixture.EVENTS, PipelineFixture.MASTERS_TOPIC);
            history.forEach(replay::history);
            for (Input e : events) {
                InProcessPipeline.Output out = replay.process(e);
                rows.addAll(out.rows());
                dead.addAll(out.deadLetters());
            }
        }
        assertThat(expected).hasSize(20);
        assertThat(rows).extracting(r -> r.row().toString()).containsExactlyElementsOf(expected.stream()
                .map(r -> r.value().toString()).toList());
        assertThat(rows).extracting(InProcessPipeline.Row::time).containsExactlyElementsOf(expected.stream()
                .map(TestRecord::timestamp).toList());
        assertThat(rows).extracting(r -> String.valueOf(r.row().get("source_type_name")))
                .as("renamed a minute before T: the old name before, the new one after").contains("Web", "Webサイト", "App");
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.get("stage").toString()).isEqualTo("parse");
            assertThat(d.get("source_topic").toString()).isEqualTo(PipelineFixture.EVENTS);
            assertThat(d.get("source_partition")).isEqualTo(2);
            assertThat(d.get("source_offset")).isEqualTo(500L);
            assertThat(d.get("source_timestamp")).isEqualTo(T.toEpochMilli());
        });
    }

    @Test
    void anEventIsJudgedAgainstItsRecordsTimestampNotTheWallClock() {
        Instant longAgo = Instant.parse("2024-03-01T10:00:00Z");
        Input onTime = new Input(PipelineFixture.EVENTS, 0, 1, longAgo.toEpochMilli(), null,
                utf8(event("ok", longAgo.plusSeconds(1800), 1)), null);
        Input ahead = new Input(PipelineFixture.EVENTS, 0, 2, longAgo.toEpochMilli(), null,
                utf8(event("ahead", longAgo.plusSeconds(7200), 1)), null);
        try (InProcessPipeline replay = InProcessPipeline.of(config, "app_events", state, PipelineMetrics.discarding())) {
            assertThat(replay.process(onTime).rows()).as("half an hour ahead of when it was sent").hasSize(1);
            InProcessPipeline.Output out = replay.process(ahead);
            assertThat(out.rows()).isEmpty();
            assertThat(out.deadLetters()).singleElement().satisfies(d -> assertThat(d.get("error_message").toString())
                    .contains("more than events.max.future.ms=3600000 ahead of now"));
        }
    }

    @Test
    void cdcChangesGetTheLiveRowsAndPositionsWithReSendsDropped() {
        List<Input> changes = new ArrayList<>();
        long offset = 0;
        for (String op : List.of("c", "u", "u", "d")) {
            changes.add(transaction(offset++, op, 7, "pending-" + offset, T.plusSeconds(offset), offset));
        }
        changes.add(transaction(offset++, "u", 7, "pending-2", T.plusSeconds(2), 2)); // a re-send of the first update
        changes.add(transaction(offset, "c", 8, "new", T.plusSeconds(9), 9));
        changes.forEach(c -> live.transactions.pipeInput(new TestRecord<>(c.key(), c.value(), Instant.ofEpochMilli(c.timestamp()))));
        List<TestRecord<String, GenericRecord>> expected = live.lakeTransactions.readRecordsToList();

        List<InProcessPipeline.Row> rows = new ArrayList<>();
        PipelineMetrics metrics = PipelineMetrics.discarding();
        try (InProcessPipeline replay = InProcessPipeline.of(config, "transactions", state, metrics)) {
            changes.forEach(c -> rows.addAll(replay.process(c).rows()));
        }
        assertThat(expected).hasSize(5);
        assertThat(rows).extracting(r -> r.row().toString()).containsExactlyElementsOf(expected.stream()
                .map(r -> r.value().toString()).toList());
        assertThat(metrics.registry().find("tributary.cdc.duplicates").counter().count()).isEqualTo(1);
    }

    private static Input master(long id, String name, Instant committed, long offset) {
        return new Input(PipelineFixture.MASTERS_TOPIC, 0, offset, committed.toEpochMilli(), DebeziumJson.key(id),
                DebeziumJson.change("masters", offset == 0 ? "r" : "u", DebeziumJson.MASTERS,
                        DebeziumJson.master(id, "code-" + id, name, "web"), committed.toEpochMilli()), null);
    }

    private static Input transaction(long offset, String op, long id, String status, Instant committed, long pos) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("user_id", "u-1");
        row.put("source_type_id", 1);
        row.put("amount", DebeziumJson.decimal("10.00", 2));
        row.put("currency", "JPY");
        row.put("status", status);
        row.put("created_at", T.toEpochMilli());
        return new Input(PipelineFixture.TRANSACTIONS_TOPIC, 1, offset, committed.toEpochMilli(), DebeziumJson.key(id),
                DebeziumJson.change("transactions", op, DebeziumJson.TRANSACTIONS, row, committed.toEpochMilli(),
                        new DebeziumJson.Position(1, 1000 + pos * 100, 0)), null);
    }
}
