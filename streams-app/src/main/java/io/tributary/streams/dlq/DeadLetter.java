package io.tributary.streams.dlq;

import io.tributary.schemas.contract.Contracts;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record that failed, with what, where and why. It goes to the dead-letter topic as the original
 * bytes with {@link #headers}, and to the lake's dead_letters table as {@link #envelope()} (without
 * the original bytes, which may hold PII that the pipeline would otherwise have removed). An original
 * larger than {@code dlq.max.original.bytes} is left out of the dead-letter record, which could not
 * be written otherwise; a header says so, and the original stays in its source topic at the offset
 * the headers name.
 */
public record DeadLetter(String table, String stage, String errorClass, String message, String sourceTopic,
        int sourcePartition, long sourceOffset, long sourceTimestamp, byte[] originalKey, byte[] original) {

    public static final String HEADER_PREFIX = "tributary.dlq.";
    /** Header present when the original bytes were left out: their size and where they are. */
    public static final String ORIGINAL_OMITTED = HEADER_PREFIX + "original.omitted";
    private static final Schema ENVELOPE = Contracts.schema(Contracts.DEAD_LETTERS);

    public static DeadLetter of(String table, RecordFailure failure, RecordOrigin origin, byte[] key, byte[] value) {
        return new DeadLetter(table, failure.stage(), failure.errorClass(), failure.getMessage(), origin.topic(),
                origin.partition(), origin.offset(), origin.timestamp(), key, value);
    }

    /** The dead-letter record's value: the original bytes, or none (empty) when they are larger than {@code maxOriginalBytes}. */
    public byte[] value(int maxOriginalBytes) {
        return omits(maxOriginalBytes) ? new byte[0] : original;
    }

    private boolean omits(int maxOriginalBytes) {
        return original != null && original.length > maxOriginalBytes;
    }

    /**
     * Headers of the dead-letter record: stage, error class, message, source topic/partition/offset,
     * time, and whether the original bytes were left out.
     */
    public Headers headers(int maxOriginalBytes) {
        RecordHeaders h = new RecordHeaders();
        h.add(HEADER_PREFIX + "table", utf8(table));
        h.add(HEADER_PREFIX + "stage", utf8(stage));
        h.add(HEADER_PREFIX + "error.class", utf8(errorClass));
        h.add(HEADER_PREFIX + "error.message", utf8(message));
        h.add(HEADER_PREFIX + "source.topic", utf8(sourceTopic));
        h.add(HEADER_PREFIX + "source.partition", utf8(String.valueOf(sourcePartition)));
        h.add(HEADER_PREFIX + "source.offset", utf8(String.valueOf(sourceOffset)));
        h.add(HEADER_PREFIX + "source.timestamp", utf8(String.valueOf(sourceTimestamp)));
        h.add(HEADER_PREFIX + "time", utf8(java.time.Instant.now().toString()));
        if (omits(maxOriginalBytes)) {
            h.add(ORIGINAL_OMITTED, utf8(original.length + " bytes, more than dlq.max.original.bytes=" + maxOriginalBytes
                    + "; the original is in " + sourceTopic + " partition " + sourcePartition + " at offset " + sourceOffset));
        }
        return h;
    }

    /** The dead_letters lake row; deterministic, so a replay reproduces it. */
    public GenericRecord envelope() {
        GenericRecord r = new GenericData.Record(ENVELOPE);
        r.put("stage", stage);
        r.put("error_class", errorClass);
        r.put("error_message", message);
        r.put("source_topic", sourceTopic);
        r.put("source_partition", sourcePartition);
        r.put("source_offset", sourceOffset);
        r.put("source_timestamp", sourceTimestamp);
        r.put("original_bytes", original == null ? 0 : original.length);
        return r;
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
