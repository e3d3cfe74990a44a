package io.tributary.connect.s3.rotation;

import io.tributary.connect.s3.config.S3SinkConfig;
import org.apache.avro.Schema;

/**
 * Decides when an open file is rotated, and why. Record-driven rules (count, size, record-time
 * interval, schema change) are deterministic: a replay of the same records rotates at the same
 * records. The wall-clock flush is not, which is why exactly-once does not rest on file boundaries
 * but on the offsets each uploaded file declares in its name.
 */
public final class RotationPolicy {
    private final long flushSize;
    private final long maxFileBytes;
    private final long recordTimeIntervalMs;
    private final long scheduleIntervalMs;

    public RotationPolicy(long flushSize, long maxFileBytes, long recordTimeIntervalMs, long scheduleIntervalMs) {
        this.flushSize = flushSize;
        this.maxFileBytes = maxFileBytes;
        this.recordTimeIntervalMs = recordTimeIntervalMs;
        this.scheduleIntervalMs = scheduleIntervalMs;
    }

    public static RotationPolicy of(S3SinkConfig config) {
        return new RotationPolicy(config.flushSize(), config.rotateFileBytes(), config.rotateIntervalMs(),
                config.rotateScheduleIntervalMs());
    }

    /** Before a record joins an open file: the reason the file must be closed first, or null. */
    public RotationReason beforeAppend(OpenFileStats file, Schema recordSchema, long recordTime) {
        if (!file.schema().equals(recordSchema)) {
            return RotationReason.SCHEMA_CHANGE;
        }
        if (recordTimeIntervalMs > 0 && recordTime - file.firstRecordTime() >= recordTimeIntervalMs) {
            return RotationReason.RECORD_TIME_INTERVAL;
        }
        return null;
    }

    /** After a record joined: the reason to close the file now, or null. */
    public RotationReason afterAppend(OpenFileStats file) {
        if (file.records() >= flushSize) {
            return RotationReason.RECORD_COUNT;
        }
        if (file.estimatedBytes() >= maxFileBytes) {
            return RotationReason.FILE_SIZE;
        }
        return null;
    }

    /** On a clock tick (each put and preCommit): whether the freshness flush is due, or null. */
    public RotationReason onTick(OpenFileStats file, long nowMillis) {
        if (scheduleIntervalMs > 0 && nowMillis - file.openedAtMillis() >= scheduleIntervalMs) {
            return RotationReason.SCHEDULED_FLUSH;
        }
        return null;
    }
}
