package io.tributary.streams.dlq;

import org.apache.avro.generic.GenericRecord;

/** What reading one input record produced; the topology routes each kind to its sink. */
public sealed interface Outcome {
    /** A lake row of a table. */
    record Row(GenericRecord row) implements Outcome {
    }

    /** A record that could not be processed. */
    record Failed(DeadLetter deadLetter) implements Outcome {
    }
}
