package io.tributary.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoundsTest {
    @Test
    void theWarmUpRoundIsNotCounted() {
        Rounds rates = rounds(1_000_000, 90, 110, 100);

        assertThat(rates.median()).isEqualTo(100);
        assertThat(rates.counted()).isEqualTo("90 / 110 / 100");
        assertThat(rates.summary("%.0f")).isEqualTo("100 (90 - 110)");
    }

    @Test
    void ratiosAreTakenRoundByRoundNotFromMediansOfDifferentRounds() {
        Rounds pipeline = rounds(0, 60, 100, 80);
        Rounds copy = rounds(1, 120, 100, 100);

        Rounds ratios = Rounds.ratio(pipeline, copy);

        // Per round: 0.5, 1.0, 0.8; the ratio of the medians (80 / 100) would be another figure.
        assertThat(ratios.summary("%.2f")).isEqualTo("0.80 (0.50 - 1.00)");
        assertThat(Rounds.ratio(rounds(0, 1, 3), rounds(1, 1, 1)).median()).isEqualTo(2);
    }

    @Test
    void aRatioOverARoundWithNothingMeasuredIsNoFigure() {
        Rounds cpu = Rounds.ratio(rounds(0, 0.5, 0.4), rounds(0, 0.2, 0));

        assertThat(cpu.summary("%.2f")).isEqualTo(Rounds.NO_FIGURE);
        assertThat(Rounds.ratio(rounds(0, 0.5), rounds(0, 0.2)).summary("%.2f")).isEqualTo("2.50 (2.50 - 2.50)");
    }

    private static Rounds rounds(double warmUp, double... counted) {
        Rounds rounds = new Rounds(counted.length);
        rounds.set(0, warmUp);
        for (int i = 0; i < counted.length; i++) {
            rounds.set(i + 1, counted[i]);
        }
        return rounds;
    }
}
