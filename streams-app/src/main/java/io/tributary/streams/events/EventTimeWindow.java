package io.tributary.streams.events;

import io.tributary.streams.dlq.RecordFailure;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The event times the lake accepts: from {@code events.min.time} (where Athena's partition projection
 * starts) to {@code events.max.future.ms} ahead of the clock. Outside it, an event is dead-lettered
 * with a message that says what was expected, and recognises the usual unit mistakes: epoch seconds
 * land in January 1970, epoch microseconds tens of thousands of years ahead.
 */
public record EventTimeWindow(long minMillis, long maxFutureMs) {
    void check(String field, long time) {
        long latest = System.currentTimeMillis() + maxFutureMs;
        if (time < minMillis) {
            boolean seconds = time > Long.MIN_VALUE / 1000 && contains(time * 1000, latest);
            throw new RecordFailure(RecordFailure.VALIDATE, "field " + field + " is " + Instant.ofEpochMilli(time)
                    + ", before events.min.time=" + Instant.ofEpochMilli(minMillis).atOffset(ZoneOffset.UTC).toLocalDate()
                    + " (the first day the lake's Athena tables show); expected epoch milliseconds or ISO-8601 from then on"
                    + (seconds ? "; " + time + " looks like epoch seconds (" + Instant.ofEpochSecond(time) + "): send milliseconds" : ""));
        }
        if (time > latest) {
            boolean micros = contains(time / 1000, latest);
            throw new RecordFailure(RecordFailure.VALIDATE, "field " + field + " is " + Instant.ofEpochMilli(time)
                    + ", more than events.max.future.ms=" + maxFutureMs + " ahead of now; the producer's clock is wrong"
                    + (micros ? ", or " + time + " is epoch microseconds (" + Instant.ofEpochMilli(time / 1000) + "): send milliseconds"
                    : ""));
        }
    }

    private boolean contains(long time, long latest) {
        return time >= minMillis && time <= latest;
    }
}
