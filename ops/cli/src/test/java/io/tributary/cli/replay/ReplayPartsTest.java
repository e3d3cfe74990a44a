package io.tributary.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cli.common.CliError;
import io.tributary.schemas.lake.LakePath.HourPartition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay's small parts: hour ranges as written on the command line, and the identity multiset. */
class ReplayPartsTest {
    @TempDir
    Path tmp;

    @Test
    void hourRangesAreWholeUtcHoursAcrossDays() {
        HourRange range = HourRange.parse("2026-11-30T22", "2026-12-01T01:00:00+00:00");
        assertThat(range.hours()).extracting(HourPartition::toString)
                .containsExactly("2026-11-30T22", "2026-11-30T23", "2026-12-01T00");
        assertThat(range.contains(new HourPartition("2026-12-01", "01"))).isFalse();
        assertThat(HourRange.parse("2026-11-01T09:00+09:00", "2026-11-01T01").hours()).hasSize(1);
        assertThatThrownBy(() -> HourRange.parse("2026-11-01T00:30", "2026-11-01T02"))
                .isInstanceOf(CliError.class).hasMessageContaining("hour boundary");
        assertThatThrownBy(() -> HourRange.parse("2026-11-01T02", "2026-11-01T02"))
                .isInstanceOf(CliError.class).hasMessageContaining("must be after");
        assertThatThrownBy(() -> HourRange.parse("yesterday", "2026-11-01T02"))
                .isInstanceOf(CliError.class).hasMessageContaining("--from yesterday is not an hour");
    }

    @Test
    void eachIdentityIsTakenAsOftenAsItWasAddedAndSurvivesADiskRoundTrip() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            ids.add("e-" + i);
            if (i % 10 == 0) {
                ids.add("e-" + i); // an event_id reused once
            }
        }
        Collections.shuffle(ids, new Random(3));
        // Written in two parts, as a replay appends an hour's identities whenever it closes the hour's files.
        IdentityMultiset first = new IdentityMultiset();
        ids.subList(0, 2000).forEach(first::add);
        first.append(tmp.resolve("ids.bin"));
        IdentityMultiset second = new IdentityMultiset();
        ids.subList(2000, ids.size()).forEach(second::add);
        second.append(tmp.resolve("ids.bin"));
        IdentityMultiset set = new IdentityMultiset();
        set.addAll(tmp.resolve("ids.bin"));
        set.addAll(tmp.resolve("missing.bin"));
        assertThat(set.size()).isEqualTo(ids.size());
        for (int i = 0; i < 5000; i++) {
            assertThat(set.take("e-" + i)).as("e-%d", i).isTrue();
            assertThat(set.take("e-" + i)).as("e-%d again", i).isEqualTo(i % 10 == 0);
        }
        assertThat(set.take("e-5000")).isFalse();
    }

    @Test
    void progressShowsRecordsRateAndTimeLeft() {
        assertThat(HourReplayer.progress(25_000, 100_000, 5_000_000_000L))
                .isEqualTo("[#####---------------] 25,000 of ~100,000 records  5,000 records/s  ETA 0:00:15");
        assertThat(HourReplayer.progress(0, 0, 1_000_000L)).as("nothing to read")
                .isEqualTo("[####################] 0 of ~0 records  0 records/s  ETA 0:00:00");
        assertThat(HourReplayer.progress(120, 100, 2_000_000_000L)).as("more read than expected: the bar ends full")
                .isEqualTo("[####################] 120 of ~120 records  60 records/s  ETA 0:00:00");
    }
}
