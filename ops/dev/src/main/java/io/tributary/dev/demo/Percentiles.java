package io.tributary.dev.demo;

import java.util.ArrayList;
import java.util.List;

/** Nearest-rank percentiles of measured latencies. */
public final class Percentiles {
    private Percentiles() {
    }

    /** The value at percentile p (0-100) by nearest rank; -1 when there are none. */
    public static long of(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }
}
