package io.tributary.cli.replay;

import io.tributary.schemas.contract.Contracts;
import io.tributary.streams.replay.InProcessPipeline.Input;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/** Source records as the raw archive keeps them (contract raw_records), and back to what the pipeline reads. */
final class RawRecords {
    static final Schema SCHEMA = Contracts.schema(Contracts.RAW_RECORDS);

    /** Receives records one at a time. */
    @FunctionalInterface
    interface Sink {
        void accept(Input record) throws IOException;
    }

    private RawRecords() {
    }

    static Input input(GenericRecord raw) {
        RecordHeaders headers = new RecordHeaders();
        @SuppressWarnings("unchecked")
        List<GenericRecord> list = (List<GenericRecord>) raw.get("headers");
        for (GenericRecord h : list) {
            headers.add(h.get("key").toString(), bytes(h.get("value")));
        }
        return new Input(raw.get("topic").toString(), (Integer) raw.get("partition"), (Long) raw.get("offset"),
                (Long) raw.get("timestamp"), bytes(raw.get("key")), bytes(raw.get("value")), headers);
    }

    /** Reads a local raw_records Parquet file in its order. */
    static void read(Path file, Sink sink) throws IOException {
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withDataModel(GenericData.get()).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                sink.accept(input(r));
            }
        }
    }

    private static byte[] bytes(Object value) {
        if (value == null) {
            return null;
        }
        ByteBuffer b = ((ByteBuffer) value).duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
