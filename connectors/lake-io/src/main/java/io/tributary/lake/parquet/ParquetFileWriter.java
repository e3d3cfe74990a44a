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
    private final PositionTrackingOutputFile output;
    private long records;

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

    /** Bytes written so far plus those buffered for the current row group: the size rotation checks. */
    public long estimatedBytes() {
        return writer.getDataSize();
    }

    /** Bytes of the current row group as Parquet counts them (encoded), held in memory until it is flushed. */
    public long bufferedBytes() {
        return Math.max(0, writer.getDataSize() - output.position());
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
