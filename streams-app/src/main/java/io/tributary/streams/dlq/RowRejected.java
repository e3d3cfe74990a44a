package io.tributary.streams.dlq;

import org.apache.kafka.common.errors.SerializationException;

/** A lake row the pipeline will not send: too large, or refused by the broker before. Its message is ours, without values. */
public final class RowRejected extends SerializationException {
    public RowRejected(String message) {
        super(message);
    }
}
