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
        IdentityMultiset written = new IdentityMultiset();
        ids.forEach(written::add);
        written.write(tmp.resolve("ids.bin"));
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
    void progressShowsHoursRateAndTimeLeft() {
        String line = HourReplayer.progress(3, 12, new HourPartition("2026-11-01", "02"), 1500, 6000, 2_000_000_000L);
        assertThat(line).isEqualTo("[#####---------------] 3/12 hours  2026-11-01T02: 1,500 records  3,000 records/s  ETA 0:00:06");
    }
}
