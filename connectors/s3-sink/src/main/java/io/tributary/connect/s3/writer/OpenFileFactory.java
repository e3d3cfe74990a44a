package io.tributary.connect.s3.writer;

import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.lake.parquet.ParquetFileWriter;
import io.tributary.schemas.lake.LakePath.HourPartition;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.avro.Schema;

/** Opens local Parquet files with the configured codec, row group and page sizes. */
final class OpenFileFactory {
    private final LocalBuffer buffer;
    private final String codec;
    private final int rowGroupBytes;
    private final int pageBytes;

    OpenFileFactory(LocalBuffer buffer, String codec, int rowGroupBytes, int pageBytes) {
        this.buffer = buffer;
        this.codec = codec;
        this.rowGroupBytes = rowGroupBytes;
        this.pageBytes = pageBytes;
    }

    static OpenFileFactory of(LocalBuffer buffer, S3SinkConfig config) {
        return new OpenFileFactory(buffer, config.codec(), config.rowGroupBytes(), config.pageBytes());
    }

    OpenFile open(String table, HourPartition hour, Schema schema, long offset, long recordTime, long nowMillis)
            throws IOException {
        Path local = buffer.newFile(table + "-" + hour.dt() + "-" + hour.hour());
        return new OpenFile(hour, local, new ParquetFileWriter(local, schema, codec, rowGroupBytes, pageBytes), schema,
                offset, recordTime, nowMillis, 2L * pageBytes);
    }
}
