package io.tributary.connect.s3.writer;

import io.tributary.connect.s3.rotation.OpenFileStats;
import io.tributary.connect.s3.rotation.RotationReason;
import io.tributary.lake.parquet.ParquetFileWriter;
import io.tributary.schemas.lake.LakePath.HourPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** A local Parquet file receiving the records of one table hour of one topic partition. */
final class OpenFile {
    static final int HEAP_BYTES_PER_INPUT_BYTE = 8;

    private final HourPartition hour;
    private final Path local;
    private final ParquetFileWriter writer;
    private final Schema schema;
    private final long startOffset;
    private final long firstRecordTime;
    private final long openedAtMillis;
    private final long fixedHeapBytes;
    private long endOffset;
    private long lastWriteSequence;
    private long flushedBytes;
    private long inputBytesSinceFlush;

    OpenFile(HourPartition hour, Path local, ParquetFileWriter writer, Schema schema, long startOffset,
             long firstRecordTime, long openedAtMillis, long fixedHeapBytes) {
        this.fixedHeapBytes = fixedHeapBytes;
        this.hour = hour;
        this.local = local;
        this.writer = writer;
        this.schema = schema;
        this.startOffset = startOffset;
        this.firstRecordTime = firstRecordTime;
        this.openedAtMillis = openedAtMillis;
        this.endOffset = startOffset;
    }

    void append(GenericRecord record, int inputBytes, long offset, long writeSequence) throws IOException {
        writer.write(record);
        if (writer.flushedBytes() != flushedBytes) { // a row group went to disk: its values left the heap
            flushedBytes = writer.flushedBytes();
            inputBytesSinceFlush = 0;
        }
        inputBytesSinceFlush += inputBytes;
        endOffset = offset;
        lastWriteSequence = writeSequence;
    }

    OpenFileStats stats() {
        return new OpenFileStats(schema, writer.records(), writer.estimatedBytes(), firstRecordTime, openedAtMillis);
    }

    HourPartition hour() {
        return hour;
    }

    long startOffset() {
        return startOffset;
    }

    long endOffset() {
        return endOffset;
    }

    long lastWriteSequence() {
        return lastWriteSequence;
    }

    /**
     * The heap this file holds, estimated conservatively: Parquet's count of encoded buffered bytes
     * understates it, because dictionary encoding keeps every distinct value as objects until the
     * row group is written (about 8 heap bytes per input byte for distinct strings, measured with
     * {@code tributary bench sink}), and the column and compressor buffers cost about two pages.
     */
    long estimatedHeapBytes() {
        return writer.bufferedBytes() + HEAP_BYTES_PER_INPUT_BYTE * inputBytesSinceFlush + fixedHeapBytes;
    }

    /** Finishes the Parquet file (footer written) so that it can be uploaded under {@code key}. */
    ClosedFile finish(String key, RotationReason reason) throws IOException {
        writer.close();
        return new ClosedFile(key, hour, local, startOffset, endOffset, writer.records(), Files.size(local), reason);
    }

    /** Drops the file: its records were never acknowledged and will be delivered again. */
    void discard() {
        try {
            writer.close();
        } catch (IOException | RuntimeException ignored) {
            // the file is deleted next; a failed close changes nothing
        }
        try {
            Files.deleteIfExists(local);
        } catch (IOException ignored) {
            // the task's local dir is removed on stop
        }
    }
}
