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
 * bytes with {@link #headers()}, and to the lake's dead_letters table as {@link #envelope()} (without
 * the original bytes, which may hold PII that the pipeline would otherwise have removed).
 */
public record DeadLetter(String table, String stage, String errorClass, String message, String sourceTopic,
        int sourcePartition, long sourceOffset, long sourceTimestamp, byte[] originalKey, byte[] original) {

    public static final String HEADER_PREFIX = "tributary.dlq.";
    private static final Schema ENVELOPE = Contracts.schema(Contracts.DEAD_LETTERS);

    public static DeadLetter of(String table, RecordFailure failure, RecordOrigin origin, byte[] key, byte[] value) {
        return new DeadLetter(table, failure.stage(), failure.errorClass(), failure.getMessage(), origin.topic(),
                origin.partition(), origin.offset(), origin.timestamp(), key, value);
    }

    /** Headers of the dead-letter record: stage, error class, message, source topic/partition/offset, time. */
    public Headers headers() {
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
