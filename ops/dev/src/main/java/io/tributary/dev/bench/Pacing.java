package io.tributary.dev.bench;

/** Sends at a steady rate: the i-th record of a run goes out at {@code start + i / rate}, never in a burst to catch up. */
final class Pacing {
    private Pacing() {
    }

    /** Sleeps until the i-th slot of a run at {@code perSecond} records a second that started at {@code startNanos}. */
    static void awaitSlot(long startNanos, long i, int perSecond) throws InterruptedException {
        long wait = startNanos + i * 1_000_000_000L / perSecond - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
