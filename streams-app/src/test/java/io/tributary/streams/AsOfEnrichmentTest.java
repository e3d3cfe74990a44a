package io.tributary.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.DebeziumJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events get the master attributes that were valid at their event time. */
class AsOfEnrichmentTest {
    private static final Instant SNAPSHOT = Instant.parse("2025-11-01T00:00:00Z");
    private static final Instant RENAME = Instant.parse("2025-11-22T03:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(90);
    private final PipelineFixture p = new PipelineFixture(
            java.util.Map.of("enrichment.history.retention.ms", String.valueOf(RETENTION.toMillis())));

    @BeforeEach
    void mastersWithARenameAtT() {
        p.sendMaster("r", 7, "ウェブ", "web", SNAPSHOT);
        p.sendMaster("u", 7, "ウェブサイト", "web", RENAME);
    }

    @AfterEach
    void close() {
        p.close();
    }

    private GenericRecord eventAt(Instant time, Object sourceTypeId) {
        p.sendEvent("{\"event_id\":\"e-" + time.toEpochMilli() + "\",\"event_time\":\"" + time + "\",\"source_type_id\":"
                + (sourceTypeId == null ? "null" : sourceTypeId) + "}");
        List<GenericRecord> rows = p.events();
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static String name(GenericRecord row) {
        return row.get("source_type_name") == null ? null : row.get("source_type_name").toString();
    }

    @Test
    void eventsBeforeTheRenameGetTheOldNameAndAfterItTheNew() {
        assertThat(name(eventAt(RENAME.minusSeconds(60), 7))).isEqualTo("ウェブ");
        assertThat(name(eventAt(RENAME.plusSeconds(60), 7))).isEqualTo("ウェブサイト");
        assertThat(eventAt(RENAME, 7).get("source_type_category").toString()).isEqualTo("web");
    }

    @Test
    void aLateEventProcessedAfterTheRenameStillGetsTheNameOfItsTime() {
        assertThat(name(eventAt(RENAME.plusSeconds(3600), 7))).isEqualTo("ウェブサイト");
        GenericRecord late = eventAt(RENAME.minusMillis(1), 7);
        assertThat(name(late)).isEqualTo("ウェブ");
        assertThat(late.get("_enrichment").toString()).isEqualTo("ok");
    }

    @Test
    void anEventOlderThanAnyChangeFindsTheSnapshotRow() {
        assertThat(name(eventAt(SNAPSHOT.minus(Duration.ofDays(60)), 7))).isEqualTo("ウェブ");
    }

    @Test
    void beyondTheHistoryRetentionAnEventGetsTheCurrentMaster() {
        assertThat(name(eventAt(RENAME.minus(RETENTION).minus(Duration.ofDays(30)), 7))).isEqualTo("ウェブサイト");
    }

    @Test
    void aMissingMasterIsNotAnErrorButAStatusAndAMetric() {
        GenericRecord unknown = eventAt(RENAME, 99);
        assertThat(name(unknown)).isNull();
        assertThat(unknown.get("_enrichment").toString()).isEqualTo("missing:source_type");
        GenericRecord noId = eventAt(RENAME.plusSeconds(1), null);
        assertThat(noId.get("_enrichment").toString()).isEqualTo("missing:source_type");
        assertThat(p.deadLetters.isEmpty()).isTrue();
        assertThat(p.metrics.registry().get("tributary.enrichment.misses").counter().count()).isEqualTo(2);
    }

    @Test
    void aDeletedMasterIsMissingAfterItsDeleteButNotBefore() {
        Instant deleted = RENAME.plus(Duration.ofDays(1));
        p.sendMaster("d", 7, "ウェブサイト", "web", deleted);
        assertThat(name(eventAt(deleted.minusSeconds(1), 7))).isEqualTo("ウェブサイト");
        assertThat(eventAt(deleted.plusSeconds(1), 7).get("_enrichment").toString()).isEqualTo("missing:source_type");
    }

    /** Answers the enricher kept for the current version must not outlive a change of the master. */
    @Test
    void aMasterChangedOrDeletedAfterEventsWereEnrichedIsSeenByTheEventsAfterIt() {
        Instant later = RENAME.plus(Duration.ofHours(1));
        assertThat(name(eventAt(later.plusSeconds(60), 7))).isEqualTo("ウェブサイト");
        assertThat(name(eventAt(later.plusSeconds(90), 7))).isEqualTo("ウェブサイト");
        p.sendMaster("u", 7, "公式サイト", "web", later);
        assertThat(name(eventAt(later.plusSeconds(120), 7))).isEqualTo("公式サイト");
        assertThat(name(eventAt(later.minusSeconds(1), 7))).isEqualTo("ウェブサイト");
        assertThat(name(eventAt(later.plusSeconds(150), 7))).isEqualTo("公式サイト");
        p.sendMaster("d", 7, "公式サイト", "web", later.plusSeconds(200));
        assertThat(eventAt(later.plusSeconds(210), 7).get("_enrichment").toString()).isEqualTo("missing:source_type");
        assertThat(name(eventAt(later.plusSeconds(199), 7))).isEqualTo("公式サイト");
    }

    /** An older version is not kept as if it were current: the store does not say where its validity ends. */
    @Test
    void aLateEventBetweenTwoCurrentOnesDoesNotLeaveItsVersionBehind() {
        assertThat(name(eventAt(RENAME.plusSeconds(60), 7))).isEqualTo("ウェブサイト");
        assertThat(name(eventAt(RENAME.minusSeconds(60), 7))).isEqualTo("ウェブ");
        assertThat(name(eventAt(RENAME.plusSeconds(30), 7))).isEqualTo("ウェブサイト");
        assertThat(name(eventAt(RENAME.minusSeconds(30), 7))).isEqualTo("ウェブ");
        assertThat(name(eventAt(RENAME, 7))).isEqualTo("ウェブサイト");
    }

    @Test
    void aMasterFirstSeenInALaterSnapshotIsValidFromTheBeginning() {
        p.sendMaster("r", 8, "アプリ", "app", RENAME.plus(Duration.ofDays(2)));
        assertThat(name(eventAt(SNAPSHOT.minus(Duration.ofDays(10)), 8))).isEqualTo("アプリ");
    }

    @Test
    void unreadableMasterChangesAreDeadLetteredByTheChangesAppAndSkippedByTheHistory() {
        byte[] noKey = DebeziumJson.change("masters", "u", DebeziumJson.MASTERS,
                java.util.Map.of("code", "x", "display_name", "名無し", "category", "web"), RENAME.plusSeconds(10).toEpochMilli());
        p.pipeMasterChange(DebeziumJson.key(7), "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8), RENAME.plusSeconds(5));
        p.pipeMasterChange(DebeziumJson.key(7), noKey, RENAME.plusSeconds(10));
        p.pipeMasterChange(DebeziumJson.key(7), null, RENAME.plusSeconds(20)); // Debezium's delete tombstone

        assertThat(name(eventAt(RENAME.plusSeconds(30), 7))).isEqualTo("ウェブサイト");
        assertThat(p.cdcDeadLetters.readRecordsToList()).extracting(r -> EventPipelineTest.headers(r.headers().toArray())
                .get("tributary.dlq.error.message")).hasSize(2).last().asString().contains("column id of table masters is null");
        assertThat(p.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void twoLookupsOnOneTableKeyItByTheirOwnColumns() {
        try (PipelineFixture two = new PipelineFixture(java.util.Map.of(
                "enrichment.lookups", "source_type,by_code",
                "enrichment.source_type.columns", "display_name:source_type_name",
                "enrichment.by_code.event.field", "event_type",
                "enrichment.by_code.table", "masters",
                "enrichment.by_code.key.column", "code",
                "enrichment.by_code.columns", "category:source_type_category"))) {
            two.sendMaster("r", 7, "ウェブ", "web", SNAPSHOT);
            two.sendMaster("r", 8, "アプリ", "app", SNAPSHOT);
            two.sendEvent("{\"event_id\":\"e\",\"event_time\":\"" + RENAME + "\",\"source_type_id\":7,\"event_type\":\"code-8\"}");
            GenericRecord row = two.events().get(0);
            assertThat(name(row)).isEqualTo("ウェブ");
            assertThat(row.get("source_type_category").toString()).isEqualTo("app");
            assertThat(row.get("_enrichment").toString()).isEqualTo("ok");
        }
    }
}
