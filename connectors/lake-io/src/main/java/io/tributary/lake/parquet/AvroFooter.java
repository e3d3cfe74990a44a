package io.tributary.lake.parquet;

import org.apache.parquet.hadoop.ParquetFileReader;

/** The Avro schema parquet-avro keeps in a Parquet file's footer (every lake file has one: the sink writes with it). */
public final class AvroFooter {
    /** The footer key parquet-avro's writer uses (its own constant is not public). */
    static final String SCHEMA_KEY = "parquet.avro.schema";

    private AvroFooter() {
    }

    /** The Avro schema the file was written with, as JSON text; null for a file not written through parquet-avro. */
    public static String schemaText(ParquetFileReader reader) {
        return reader.getFooter().getFileMetaData().getKeyValueMetaData().get(SCHEMA_KEY);
    }
}
