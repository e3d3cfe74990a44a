package io.tributary.connect.s3.rotation;

/** Why an open file is closed and uploaded; every rotation is logged with one. */
public enum RotationReason {
    /** flush.size records reached. */
    RECORD_COUNT,
    /** rotate.file.size.bytes reached (estimated). */
    FILE_SIZE,
    /** A record's time is rotate.interval.ms past the file's first record time (deterministic). */
    RECORD_TIME_INTERVAL,
    /** rotate.schedule.interval.ms of wall-clock time passed since the file was opened (freshness). */
    SCHEDULED_FLUSH,
    /** The next record has another schema: one file holds one schema. */
    SCHEMA_CHANGE,
    /** max.open.files.per.task reached: the least recently written file is closed first. */
    OPEN_FILE_LIMIT,
    /** max.buffered.bytes.per.task reached: the open file holding the most memory is closed first. */
    MEMORY_LIMIT,
    /**
     * A file the previous writer of the partition named but S3 did not hold when this task took the
     * partition over, written again with the same key, hour and offsets (its original may still land).
     */
    TAKEOVER
}
