package io.tributary.schemas.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LakePathTest {
    private final LakePath path = new LakePath("/lake/");

    @ParameterizedTest(name = "{0} -> dt={1}/hour={2}")
    @CsvSource({
        "2026-11-22T03:15:30.250Z, 2026-11-22, 03",
        "2026-11-22T23:59:59.999Z, 2026-11-22, 23",
        "2026-11-23T00:00:00Z, 2026-11-23, 00",
        "2026-12-31T23:30:00Z, 2026-12-31, 23",
        "2027-01-01T00:00:00.001Z, 2027-01-01, 00",
        "2028-02-29T12:00:00Z, 2028-02-29, 12",
        "1970-01-01T00:00:00Z, 1970-01-01, 00",
        "1969-12-31T23:59:59.999Z, 1969-12-31, 23",
        "0999-03-01T07:00:00Z, 0999-03-01, 07",
        "+10000-01-01T05:00:00Z, +10000-01-01, 05",
    })
    void hourBoundariesAcrossDaysAndYearsAreUtc(String time, String dt, String hour) {
        assertThat(LakePath.hourOf(Instant.parse(time).toEpochMilli())).isEqualTo(new LakePath.HourPartition(dt, hour));
    }

    @Test
    void localTimeZonesDoNotLeakIntoThePath() {
        // 09:30 in Tokyo on Nov 23 is 00:30 UTC on Nov 23; 08:30 in Tokyo is 23:30 UTC the day before.
        long tokyo0930 = ZonedDateTime.of(2026, 11, 23, 9, 30, 0, 0, ZoneId.of("Asia/Tokyo")).toInstant().toEpochMilli();
        long tokyo0830 = ZonedDateTime.of(2026, 11, 23, 8, 30, 0, 0, ZoneId.of("Asia/Tokyo")).toInstant().toEpochMilli();
        assertThat(LakePath.hourOf(tokyo0930)).isEqualTo(new LakePath.HourPartition("2026-11-23", "00"));
        assertThat(LakePath.hourOf(tokyo0830)).isEqualTo(new LakePath.HourPartition("2026-11-22", "23"));
        // A DST change (New York, 2026-11-01 01:30 happens twice) still maps to two distinct UTC hours.
        long first = ZonedDateTime.of(2026, 11, 1, 1, 30, 0, 0, ZoneId.of("America/New_York")).withEarlierOffsetAtOverlap().toInstant().toEpochMilli();
        long second = ZonedDateTime.of(2026, 11, 1, 1, 30, 0, 0, ZoneId.of("America/New_York")).withLaterOffsetAtOverlap().toInstant().toEpochMilli();
        assertThat(LakePath.hourOf(first).hour()).isEqualTo("05");
        assertThat(LakePath.hourOf(second).hour()).isEqualTo("06");
    }

    @Test
    void buildsKeysAndTheMatchingProjectionTemplate() {
        LakePath.HourPartition hour = new LakePath.HourPartition("2026-11-22", "03");
        String key = path.file("app_events", hour, "lake.app_events", 2, 1000, 1999);
        assertThat(key).isEqualTo("lake/app_events/dt=2026-11-22/hour=03/lake.app_events+2+1000+1999.parquet");
        String template = path.projectionTemplate("bucket", "app_events");
        assertThat(template).isEqualTo("s3://bucket/lake/app_events/dt=${dt}/hour=${hour}/");
        assertThat("s3://bucket/" + key).startsWith(template.replace("${dt}", hour.dt()).replace("${hour}", hour.hour()));
        assertThat(new LakePath("").file("t", hour, "t", 0, 0, 0)).isEqualTo("t/dt=2026-11-22/hour=03/t+0+0+0.parquet");
        assertThat(path.file("athena_queries", hour, "athena_queries"))
                .isEqualTo("lake/athena_queries/dt=2026-11-22/hour=03/athena_queries.parquet");
        assertThat(LakePath.parseFile(path.file("athena_queries", hour, "athena_queries"))).as("not an offsets file").isNull();
        assertThat(hour.startMillis()).isEqualTo(Instant.parse("2026-11-22T03:00:00Z").toEpochMilli());
    }

    @Test
    void parsesTheOffsetsBackFromAKey() {
        assertThat(LakePath.parseFile("lake/t/dt=2026-11-22/hour=03/lake.app_events+2+1000+1999.parquet"))
                .isEqualTo(new LakePath.FileOffsets("lake.app_events", 2, 1000, 1999));
        assertThat(LakePath.parseFile("lake/t/dt=2026-11-22/hour=03/_marker.json")).isNull();
    }

    @Test
    void aFileRenamedForAnotherOwnersObjectKeepsItsFolderAndOffsets() {
        String key = path.file("app_events", new LakePath.HourPartition("2026-11-22", "03"), "lake.app_events", 2, 0, 99);
        String renamed = LakePath.withOwnerSuffix(key, "0a1b2c3d");
        assertThat(renamed).isEqualTo("lake/app_events/dt=2026-11-22/hour=03/lake.app_events+2+0+99.0a1b2c3d.parquet");
        assertThat(LakePath.parseFile(renamed)).isEqualTo(new LakePath.FileOffsets("lake.app_events", 2, 0, 99));
        assertThat(path.markerKey("lake.app_events", 2)).isEqualTo("lake/_tributary/markers/lake.app_events/2.json");
        assertThat(path.probeKey("lake sink/ä")).isEqualTo("lake/_tributary/probe/lake+sink%2F%C3%A4.json");
    }
}
