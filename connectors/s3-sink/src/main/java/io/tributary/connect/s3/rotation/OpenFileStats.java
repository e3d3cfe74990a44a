package io.tributary.connect.s3.rotation;

import org.apache.avro.Schema;

/**
 * What rotation decisions need to know about an open file.
 *
 * @param schema          the schema of the records in it
 * @param records         how many records it holds
 * @param estimatedBytes  its estimated size once written
 * @param firstRecordTime record time of its first record (epoch millis)
 * @param openedAtMillis  wall-clock time it was opened
 */
public record OpenFileStats(Schema schema, long records, long estimatedBytes, long firstRecordTime, long openedAtMillis) {
}
