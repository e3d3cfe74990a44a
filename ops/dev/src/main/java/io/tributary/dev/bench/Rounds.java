package io.tributary.dev.bench;

import java.util.Arrays;

/** Rates of benchmark rounds: round 0 warms the JIT up and is not counted; the median of the rest is. */
final class Rounds {
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

    double median() {
        double[] counted = Arrays.copyOfRange(rates, 1, rates.length);
        Arrays.sort(counted);
        return counted.length % 2 == 1 ? counted[counted.length / 2]
                : (counted[counted.length / 2 - 1] + counted[counted.length / 2]) / 2;
    }
}
