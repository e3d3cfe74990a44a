package io.tributary.lake.parquet;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetFileWriter.Mode;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes Avro records of one schema to a local Parquet file with parquet-avro, so the Parquet schema
 * is exactly the registered Avro schema: timestamps become INT64 TIMESTAMP(MILLIS|MICROS, UTC),
 * decimals DECIMAL, dates DATE, maps MAP, arrays the standard 3-level LIST that Athena and Trino read.
 * Row groups and pages are small so that many open files fit in a bounded heap.
 */
public final class ParquetFileWriter implements Closeable {
    private final ParquetWriter<GenericRecord> writer;
    private static final int SIZE_SAMPLE_RECORDS = 64;
    private final PositionTrackingOutputFile output;
    private long records;
    private long measuredBytes;
    private long measuredAtRecords;
    private long measuredAtPosition;
    private double bytesPerRecord;

    public ParquetFileWriter(Path file, Schema schema, String codec, int rowGroupBytes, int pageBytes) throws IOException {
        Configuration conf = new Configuration(false);
        conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false); // 3-level lists (Athena, Trino)
        this.output = new PositionTrackingOutputFile(new LocalOutputFile(file));
        this.writer = AvroParquetWriter.<GenericRecord>builder(output)
                .withSchema(schema)
                .withDataModel(GenericData.get())
                .withConf(conf)
                .withCompressionCodec(CompressionCodecName.valueOf(codec.toUpperCase(Locale.ROOT)))
                .withRowGroupSize(rowGroupBytes)
                .withPageSize(pageBytes)
                .withWriteMode(Mode.OVERWRITE)
                .build();
    }

    public void write(GenericRecord record) throws IOException {
        writer.write(record);
        records++;
    }

    public long records() {
        return records;
    }

    /**
     * Bytes written so far plus those buffered for the current row group: the size rotation checks.
     * Parquet answers it by summing every column's buffers, and the sink asks after every record, so
     * it is measured every {@value #SIZE_SAMPLE_RECORDS} records (and whenever a row group was
     * written out) and extrapolated by the bytes per record in between, as parquet-java paces its
     * own row-group checks; small files are measured every time.
     */
    public long estimatedBytes() {
        if (records < SIZE_SAMPLE_RECORDS || records - measuredAtRecords >= SIZE_SAMPLE_RECORDS
                || output.position() != measuredAtPosition) {
            measuredBytes = writer.getDataSize();
            measuredAtRecords = records;
            measuredAtPosition = output.position();
            bytesPerRecord = records == 0 ? 0 : (double) measuredBytes / records;
        }
        return measuredBytes + Math.round((records - measuredAtRecords) * bytesPerRecord);
    }

    /** Bytes of the current row group as Parquet counts them (encoded), held in memory until it is flushed. */
    public long bufferedBytes() {
        return Math.max(0, estimatedBytes() - output.position());
    }

    /** Bytes already flushed to the local file; it grows when a row group is written out. */
    public long flushedBytes() {
        return output.position();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
