package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.CliRun;
import io.tributary.testing.FreePorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short variant of `tributary bench streams` CI runs (one counted round of few events, on a stack
 * of its own, the wide events and 1,000 changing masters): every side gets every event through,
 * none dead-lettered, and the report has its per-round ratios and CPU costs. The figures themselves come from the long run (BENCHMARKS.md).
 */
class BenchStreamsIT {
    @TempDir
    Path dir;

    @Test
    void aShortRunReportsEverySideAndItsRatios() throws Exception {
        List<String> args = new ArrayList<>(List.of("bench", "streams", "--events", "20000", "--rounds", "1", "--seed", "3",
                "--fixture", "WIDE", "--masters", "1000", "--master-changes", "10",
                "--data-dir", dir.toString()));
        args.addAll(FreePorts.stackFlags());
        CliRun bench = CliRun.of(args.toArray(String[]::new));

        assertThat(bench.exitCode()).as(bench.err()).isZero();
        assertThat(bench.out()).containsPattern("Produced 20,000 wide events of ~[\\d,]+ bytes to \\S+, referring to 1,000 masters")
                .contains("Sides run in a random order each round (--seed 3 repeats it).")
                .containsPattern("round 1 tributary pipeline: [\\d,]+ events timed after [\\d,]+ of warm-up")
                .containsPattern("round 1 kafka streams copy \\(exactly once[^)]*\\): [\\d,]+ events timed")
                .containsPattern("round 1 pass-through \\(consume -> produce[^)]*\\): [\\d,]+ events timed")
                .containsPattern("pipeline / streams copy: +\\d+\\.\\d\\d \\(\\d+\\.\\d\\d - \\d+\\.\\d\\d\\)")
                .containsPattern("CPU per event, pipeline / streams copy: \\d+\\.\\d\\d")
                .containsPattern("restoring 1,000 masters into its global store: \\d+\\.\\d s")
                .contains("Deleted the run's");
    }
}
