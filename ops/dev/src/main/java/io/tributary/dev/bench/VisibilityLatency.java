package io.tributary.dev.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Event sent to aggregate visible, on one channel: the channel reports each count it sees for a
 * (bucket, group) key, and the k-th event sent for a key became visible at the first report of a
 * count of at least the key's baseline plus k. Counts only grow while the bench sends, so this is
 * the moment the k-th event (or any k of them) had arrived there.
 */
final class VisibilityLatency {
    private final Map<String, Long> baseline;
    private final Map<String, List<long[]>> seen = new HashMap<>();

    /** {@code baseline}: each key's count before the first event was sent (absent: 0). */
    VisibilityLatency(Map<String, Long> baseline) {
        this.baseline = Map.copyOf(baseline);
    }

    /** The channel showed {@code count} for {@code key} at {@code nanoTime}. */
    synchronized void observe(String key, long count, long nanoTime) {
        seen.computeIfAbsent(key, k -> new ArrayList<>()).add(new long[] {nanoTime, count});
    }

    /** Whether every event sent has become visible: each key's count reached its baseline plus what was sent to it. */
    synchronized boolean caughtUp(Map<String, List<Long>> sentByKey) {
        return sentByKey.entrySet().stream().allMatch(e -> highest(e.getKey()) >= baseline.getOrDefault(e.getKey(), 0L) + e.getValue().size());
    }

    /** Milliseconds from each event's send to it becoming visible; events never seen are left out (see {@link #caughtUp}). */
    synchronized List<Long> latenciesMs(Map<String, List<Long>> sentByKey) {
        List<Long> out = new ArrayList<>();
        sentByKey.forEach((key, sends) -> {
            List<long[]> reports = seen.getOrDefault(key, List.of());
            long base = baseline.getOrDefault(key, 0L);
            int r = 0;
            for (int k = 1; k <= sends.size(); k++) {
                while (r < reports.size() && reports.get(r)[1] < base + k) {
                    r++;
                }
                if (r == reports.size()) {
                    return;
                }
                out.add(Math.max(0, (reports.get(r)[0] - sends.get(k - 1)) / 1_000_000));
            }
        });
        return out;
    }

    private long highest(String key) {
        return seen.getOrDefault(key, List.of()).stream().mapToLong(o -> o[1]).max().orElse(-1);
    }
}
