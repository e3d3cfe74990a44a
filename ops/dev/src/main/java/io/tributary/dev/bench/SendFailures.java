package io.tributary.dev.bench;

import io.tributary.cli.common.CliError;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Counts the records a bench's input producer gave up on: a record missing from the input would
 * leave a backlog that never drains, or a figure over fewer rows than it says, so the bench fails.
 */
final class SendFailures implements Callback {
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> first = new AtomicReference<>();

    @Override
    public void onCompletion(RecordMetadata metadata, Exception e) {
        if (e != null) {
            failed.incrementAndGet();
            first.compareAndSet(null, e);
        }
    }

    /** Fails with one line if any of the {@code total} records of {@code what} was not written; call after the producer closed. */
    void check(String what, long total) {
        if (failed.get() > 0) {
            throw new CliError(String.format("could not write %s: %,d of %,d records failed (%s); run the bench again",
                    what, failed.get(), total, first.get().getMessage()));
        }
    }
}
