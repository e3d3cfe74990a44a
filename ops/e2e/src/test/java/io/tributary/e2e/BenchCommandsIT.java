package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.CliRun;
import io.tributary.dev.stack.LocalStackSettings;
import io.tributary.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The short variants of the benchmark commands CI runs, on one detached stack (`tributary up
 * --detach`, which the commands find by its data dir, as a user's would): every side gets every
 * event through with none dead-lettered, and each report has its baseline, per-round ratios and
 * costs. The figures themselves come from the long runs (BENCHMARKS.md).
 */
class BenchCommandsIT {
    private static Path dir;

    @BeforeAll
    static void up() throws Exception {
        dir = Files.createTempDirectory("tributary-bench-it");
        List<String> up = new ArrayList<>(List.of("up", "--detach", "--data-dir", dir.toString()));
        up.addAll(FreePorts.stackFlags());
        CliRun started = CliRun.of(up.toArray(String[]::new));
        assertThat(started.exitCode()).as(started.err()).isZero();
    }

    @AfterAll
    static void down() {
        assertThat(CliRun.of("down", "--data-dir", dir.toString()).exitCode()).isZero();
    }

    @Test
    void streamsWithWideEventsAndChangingMasters() {
        CliRun bench = CliRun.of("bench", "streams", "--events", "20000", "--rounds", "1", "--seed", "3",
                "--fixture", "WIDE", "--masters", "1000", "--master-changes", "10", "--data-dir", dir.toString());

        assertThat(bench.exitCode()).as(bench.err()).isZero();
        assertThat(bench.out()).contains("Using the stack running with data dir")
                .containsPattern("Produced 20,000 wide events of ~[\\d,]+ bytes to \\S+, referring to 1,000 masters")
                .contains("Sides run in a random order each round (--seed 3 repeats it).")
                .containsPattern("round 1 tributary pipeline: [\\d,]+ events timed after [\\d,]+ of warm-up")
                .containsPattern("round 1 kafka streams copy \\(exactly once[^)]*\\): [\\d,]+ events timed")
                .containsPattern("round 1 pass-through \\(consume -> produce[^)]*\\): [\\d,]+ events timed")
                .containsPattern("pipeline / streams copy: +\\d+\\.\\d\\d \\(\\d+\\.\\d\\d - \\d+\\.\\d\\d\\)")
                // 20,000 events: a fast side can publish its whole timed half in one commit (BENCHMARKS.md)
                .containsPattern("CPU per event, pipeline / streams copy: (\\d+\\.\\d\\d|n/a \\(a side's timed events became "
                        + "visible in one commit)")
                .containsPattern("restoring 1,000 masters into its global store: \\d+\\.\\d \\(")
                .contains("Deleted the run's");
    }

    @Test
    void sinkAgainstParquetJavaOnTheSameRows() {
        CliRun bench = CliRun.of("bench", "sink", "--records", "6000", "--hours", "4", "--open-files", "30",
                "--rows-per-file", "100", "--data-dir", dir.toString());

        assertThat(bench.exitCode()).as(bench.err()).isZero();
        assertThat(bench.out()).contains("Making 6,000 app_events rows from WIDE events through the pipeline's topology")
                .containsPattern("parquet-java \\(AvroParquetWriter\\) to local disk: [\\d,]+ \\([\\d,]+ - [\\d,]+\\) rows/s, "
                        + "[\\d,.]+ \\([\\d,.]+ - [\\d,.]+\\) MB/s")
                .containsPattern("tributary sink \\(decode, Parquet, upload, markers\\): [\\d,]+ \\(")
                .containsPattern("sink / parquet-java, round by round: \\d+\\.\\d\\d \\(")
                .containsPattern("Connect sink, connector creation to every row committed \\(one run\\): [\\d,]+ rows/s, "
                        + "[\\d,.]+ MB/s \\(6,000 rows in \\d+\\.\\d s\\)")
                .containsPattern("CPU meanwhile: Connect worker \\d+\\.\\d s \\(\\d+\\.\\d{3} s per 1,000 rows\\)")
                .contains("count check passed: 6,000 rows and 6,000 distinct event ids in S3 for 6,000 rows written")
                .containsPattern("Parquet written to S3: Connect [1-9][\\d,]* objects, [\\d,.]+ MB; in process \\(last round\\) "
                        + "[1-9][\\d,]* objects")
                .containsPattern("Connect / parquet-java \\(median\\): \\d+\\.\\d\\d; Connect / in-process sink \\(median\\): "
                        + "\\d+\\.\\d\\d")
                .containsPattern("Deleted the run's \\d topics\\.")
                .containsPattern("Memory with 30 hours open at once over 3 partitions")
                .containsPattern("estimate / live = \\d+\\.\\d\\d");
    }

    @Test
    void freshnessOfEventsAndChangesAtHalfTheMeasuredMaximum() {
        CliRun bench = CliRun.of("bench", "freshness", "--rates", "50%", "--duration", "PT3S", "--backlog", "2000",
                "--data-dir", dir.toString());

        assertThat(bench.exitCode()).as(bench.err()).isZero();
        assertThat(bench.out()).containsPattern("drained in \\d+\\.\\d s: [\\d,]+ events/s")
                .containsPattern("maximum rate [\\d,]+ events/s \\(measured\\)")
                .containsPattern("events +50% +[\\d,]+ +[\\d,.]+ +[1-9][\\d,]* +\\d+\\.\\d s +\\d+\\.\\d s +\\d+\\.\\d s +\\d+ ms\\n")
                .containsPattern("cdc +50% +[\\d,]+ +[\\d,.]+ +[1-9][\\d,]* +\\d+\\.\\d s +\\d+\\.\\d s +\\d+\\.\\d s +\\d+ ms\\n")
                .doesNotContain("not seen within");
    }

    @Test
    void replayNextToTheLiveDrainOnTheSameEvents() {
        CliRun bench = CliRun.of("bench", "replay", "--events", "2000", "--rounds", "1", "--no-warmup",
                "--masters", "100", "--data-dir", dir.toString());

        assertThat(bench.exitCode()).as(bench.err()).isZero();
        String out = bench.out();
        assertThat(out).containsPattern("Produced 2,000 wide events of ~[\\d,]+ bytes")
                .containsPattern("round 1 live: 2,000 events drained to S3 in \\d+\\.\\d s")
                .containsPattern("round 1 replay: 2,000 events replayed into S3 in \\d+\\.\\d s")
                .containsPattern("round 1 replay> \\d+ of \\d+ hours replaced, \\d+ unchanged, 0 refused")
                .containsPattern("replay / live, round by round: \\d+\\.\\d\\d \\(\\d+\\.\\d\\d - \\d+\\.\\d\\d\\)")
                .contains("Deleted the run's");
        for (String side : List.of("live pipeline \\(streams app \\+ lake sink\\)", "replay \\(tributary replay, from Kafka\\)")) {
            Matcher figures = Pattern.compile(side + ": +([\\d,]+) \\([\\d,]+ - [\\d,]+\\) events/s, (\\d+\\.\\d{3}) \\(").matcher(out);
            assertThat(figures.find()).as("the report's line for %s in:%n%s", side, out).isTrue();
            assertThat(Double.parseDouble(figures.group(1).replace(",", ""))).as(side + " events/s").isPositive();
            assertThat(Double.parseDouble(figures.group(2))).as(side + " CPU-seconds per 1,000 events").isPositive();
        }
        // The last round's lake, after its replay: every event exactly once.
        Matcher lake = Pattern.compile("round 1: .* the round's lake: s3://[^/]+/(\\S+)/").matcher(out);
        assertThat(lake.find()).as(out).isTrue();
        CliRun query = CliRun.with(LocalStackSettings.running(dir), "query", "--csv", "--prefix", lake.group(1),
                "SELECT count(*) AS rows, count(DISTINCT event_id) AS ids FROM app_events");
        assertThat(query.exitCode()).as(query.err()).isZero();
        assertThat(query.out().lines().toList()).containsExactly("rows,ids", "2000,2000");
    }

    /**
     * One app and one worker against two of each: both lakes hold every event once (the command reads
     * them back), the two-worker cluster ran the sink's tasks on both workers, and the report compares
     * CPU per event with the baseline layout.
     */
    @Test
    void scaleToTwoAppsAndTwoWorkersExactlyOnce() {
        CliRun bench = CliRun.of("bench", "scale", "--events", "2000", "--rounds", "1", "--no-warmup", "--masters", "100",
                "--layouts", "1x1,2x2", "--seed", "5", "--data-dir", dir.toString());

        assertThat(bench.exitCode()).as(bench.out() + bench.err()).isZero();
        assertThat(bench.out()).containsPattern("round 1 1x1 live: 2,000 events drained to S3 in \\d+\\.\\d s; CPU \\d+\\.\\d s streams app "
                        + "\\+ \\d+\\.\\d s Connect \\(1\\)")
                .containsPattern("round 1 2x2 live: 2,000 events drained to S3 in \\d+\\.\\d s; CPU \\d+\\.\\d s streams apps \\(2\\) "
                        + "\\+ \\d+\\.\\d s Connect \\(2\\)")
                .contains("round 1 2x2: the lake sink's tasks ran on 2 worker(s)")
                .contains("round 1 1x1: the lake sink's tasks ran on 1 worker(s)")
                .containsPattern("round 1 1x1: [\\d,]+ events/s, \\d+\\.\\d{3} CPU-seconds per 1,000 events "
                        + "\\(\\S+ in the steady window\\); the lake: every event "
                        + "exactly once \\(2,000 rows, 2,000 ids\\)")
                .containsPattern("round 1 2x2: [\\d,]+ events/s, \\d+\\.\\d{3} CPU-seconds per 1,000 events "
                        + "\\(\\S+ in the steady window\\); the lake: every event "
                        + "exactly once \\(2,000 rows, 2,000 ids\\)")
                .containsPattern("2x2 +2 streams apps, 2 Connect workers: +[\\d,]+ \\(.*CPU per event / 1x1 round by round: "
                        + "\\d+\\.\\d\\d \\(")
                .contains("In the steady window (from a quarter to nine tenths of the backlog in the lake topics)")
                .contains("Exactly once: every layout's lake held every event once, in every round.")
                .contains("Deleted the run's");
    }

    /**
     * One rate, one hour with 2 minutes of events: the sink's 10 s flush writes one object per
     * partition (3) and flush (12 in 2 minutes, 13 when a flush falls on the boundary), the compactor
     * merges the hour into one object, the hour holds the same rows after, and the table parses.
     */
    @Test
    void compactMergesTheObjectsTheSinkWrites() {
        CliRun bench = CliRun.of("bench", "compact", "--rates", "500", "--hours", "1", "--minutes-per-hour", "2", "--pool", "3000",
                "--data-dir", dir.toString());

        assertThat(bench.exitCode()).as(bench.out() + bench.err()).isZero();
        Matcher row = Pattern.compile("(?m)^ +([\\d,]+) \\| +([\\d,]+) \\| +([\\d,.]+) +([\\d,.]+) +([\\d,.]+) \\| +([\\d,.]+) +([\\d,.]+) "
                + "+([\\d,.]+) \\| +([\\d,.]+) +([\\d,.]+) +(\\w+) \\| +([\\d,.]+) -> +([\\d,.]+) \\| +([\\d,.]+) -> +([\\d,.]+) \\| "
                + "+([\\d,]+) -> ([\\d,]+)$").matcher(bench.out());
        List<Integer> rates = new ArrayList<>();
        while (row.find()) {
            int rate = number(row.group(1)).intValue();
            rates.add(rate);
            assertThat(number(row.group(2)).longValue()).as("rows per hour at %d/s", rate).isEqualTo(rate * 120L);
            assertThat(number(row.group(3)).doubleValue()).as("objects before at %d/s", rate).isBetween(36.0, 42.0);
            assertThat(number(row.group(6)).doubleValue()).as("objects after at %d/s", rate).isEqualTo(1.0);
            assertThat(number(row.group(7)).doubleValue()).as("MiB after at %d/s", rate).isPositive();
            assertThat(row.group(11)).as("rows of each hour read back, before vs after").isEqualTo("equal");
            assertThat(number(row.group(16)).longValue()).isEqualTo(number(row.group(3)).longValue());
            assertThat(number(row.group(17)).longValue()).isEqualTo(1);
        }
        assertThat(rates).as(bench.out()).containsExactly(500);
        assertThat(bench.out()).contains("A full hour at the same rate, derived (not measured)")
                .containsPattern("500/s: before [\\d,]+ objects, [\\d,.]+ MiB \\(avg [\\d,.]+ KiB\\); after [\\d,]+ object\\(s\\)");
    }

    private static Number number(String figure) {
        return Double.valueOf(figure.replace(",", ""));
    }
}
