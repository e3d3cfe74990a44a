package io.tributary.connect.s3.record;

import io.tributary.connect.s3.config.S3SinkConfig;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a sink record into what the writer needs: the row to write, the time that picks its hour
 * partition, and its size. A record that cannot be read is a {@code DataException} (errant: reported,
 * the task goes on); a misconfiguration that affects every record stops the task.
 */
public interface RecordDecoder {
    /** A record's row, its time (epoch millis), which picks its hour partition, and its serialized size. */
    record Decoded(GenericRecord value, long time, int bytes) {
    }

    Decoded decode(SinkRecord record);

    /** The decoder of the connector's {@code record.format}. */
    static RecordDecoder of(S3SinkConfig config) {
        return config.rawFormat() ? new RawRecordDecoder(config::rawTimeOf) : AvroRecordDecoder.of(config);
    }
}
