package io.tributary.connect.s3.writer;

import io.tributary.lake.marker.PartitionMarker;
import org.apache.kafka.common.TopicPartition;

/** A newer writer has claimed the partition: this one is a zombie and must not write it again. */
final class FencedException extends Exception {
    FencedException(TopicPartition tp, PartitionMarker newer, long ownGeneration) {
        super(tp + " is fenced: generation " + newer.generation() + " of "
                + newer.owner().map(Object::toString).orElse("an unknown owner") + " took it over from this task's "
                + "generation " + ownGeneration + "; this task stops writing it");
    }
}
