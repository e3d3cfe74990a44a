package io.tributary.dev.bench;

import java.util.Arrays;

/**
 * Figures of benchmark rounds (rates, CPU costs or ratios): round 0 warms the JIT up and is not
 * counted; the median of the rest is, with their range.
 */
final class Rounds {
    static final String NO_FIGURE = "n/a (a side's timed events became visible in one commit: too few --events for a figure)";
    private final double[] rates;

    Rounds(int counted) {
        this.rates = new double[counted + 1];
    }

    int count() {
        return rates.length;
    }

    void set(int round, double rate) {
        rates[round] = rate;
    }

    double get(int round) {
        return rates[round];
    }

    /** Round by round {@code numerator / denominator}: ratios of sides measured side by side in a round. */
    static Rounds ratio(Rounds numerator, Rounds denominator) {
        Rounds ratios = new Rounds(numerator.count() - 1);
        for (int i = 0; i < ratios.count(); i++) {
            ratios.set(i, numerator.get(i) / denominator.get(i));
        }
        return ratios;
    }

    static String label(int round) {
        return round == 0 ? "round 0 (warm-up)" : "round " + round;
    }

    /** The counted rates, for the report. */
    String counted() {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i < rates.length; i++) {
            s.append(i > 1 ? " / " : "").append(String.format("%,.0f", rates[i]));
        }
        return s.toString();
    }

    /**
     * "median (min-max)" of the counted figures, in the given format. A ratio over a round whose
     * figure was zero (a short run's side whose timed events all became visible in one commit, and
     * so took no measurable time or CPU inside the window) is no figure, and says so.
     */
    String summary(String format) {
        double[] counted = Arrays.copyOfRange(rates, 1, rates.length);
        if (Arrays.stream(counted).anyMatch(v -> !Double.isFinite(v))) {
            return NO_FIGURE;
        }
        Arrays.sort(counted);
        return String.format(format, median()) + " (" + String.format(format, counted[0]) + " - "
                + String.format(format, counted[counted.length - 1]) + ")";
    }

    double median() {
        double[] counted = Arrays.copyOfRange(rates, 1, rates.length);
        Arrays.sort(counted);
        return counted.length % 2 == 1 ? counted[counted.length / 2]
                : (counted[counted.length / 2 - 1] + counted[counted.length / 2]) / 2;
    }
}
