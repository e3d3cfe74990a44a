package io.tributary.streams.events;

import io.tributary.streams.dlq.RecordFailure;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * The event times the lake accepts: from {@code events.min.time} (where Athena's partition projection
 * starts) to {@code events.max.future.ms} ahead of the clock. Outside it, an event is dead-lettered
 * with a message that says what was expected, and recognises the usual unit mistakes: epoch seconds
 * land in January 1970, epoch microseconds tens of thousands of years ahead.
 *
 * <p>"Now" is a clock given at construction: the wall clock live, and in a replay the time of the
 * record being replayed (its Kafka timestamp), so that a replay run months later judges an event
 * as it would have been judged when it arrived, and judges it the same on every run.
 */
public record EventTimeWindow(long minMillis, long maxFutureMs, LongSupplier now) {
    /** The window of the live app, whose "now" is the wall clock. */
    public EventTimeWindow(long minMillis, long maxFutureMs) {
        this(minMillis, maxFutureMs, System::currentTimeMillis);
    }

    void check(String field, long time) {
        long latest = now.getAsLong() + maxFutureMs;
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
