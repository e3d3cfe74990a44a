package io.tributary.cli.replay;

import io.tributary.lake.parquet.ParquetFileWriter;
import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.store.WriteCondition;
import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import io.tributary.streams.replay.InProcessPipeline.Input;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;

/** The replay tests' objects: rows put into the store as a Parquet object, and a folder's objects and rows read back. */
final class TestLakeObjects {
    private static final Schema HEADERS = RawRecords.SCHEMA.getField("headers").schema();
    private final ObjectStore store;
    private final Path tmp;

    TestLakeObjects(ObjectStore store, Path tmp) {
        this.store = store;
        this.tmp = tmp;
    }

    void upload(List<GenericRecord> rows, String key) throws IOException {
        Path file = tmp.resolve(UUID.randomUUID() + ".parquet");
        try (ParquetFileWriter w = new ParquetFileWriter(file, rows.get(0).getSchema(), "snappy", 1 << 20, 1 << 16)) {
            for (GenericRecord r : rows) {
                w.write(r);
            }
        }
        store.upload(file, key, Map.of(), WriteCondition.NONE);
    }

    /** Source records as the raw archive files them: one object of consecutive offsets of partition 0. */
    void archive(LakePath lake, String topic, HourPartition hour, List<Input> inputs, String timeSource) throws IOException {
        List<GenericRecord> rows = inputs.stream().map(in -> archiveRow(in, in.timestamp(), timeSource)).toList();
        upload(rows, lake.raw().folder(topic, hour) + topic + "+0+" + inputs.get(0).offset() + "+"
                + inputs.get(inputs.size() - 1).offset() + ".parquet");
    }

    /** Object name to ETag, in listing order. */
    Map<String, String> etags(String folder) throws IOException {
        Map<String, String> etags = new LinkedHashMap<>();
        for (ObjectInfo o : store.list(folder)) {
            etags.put(o.name(), o.etag());
        }
        return etags;
    }

    /** Object name to its row count, in listing order. */
    Map<String, Long> rowCounts(String folder) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ObjectInfo o : store.list(folder)) {
            Path local = tmp.resolve("read-" + UUID.randomUUID());
            store.download(o.key(), local);
            counts.put(o.name(), HourRewrite.rows(local, row -> { }));
        }
        return counts;
    }

    List<GenericRecord> rows(String folder) throws IOException {
        List<GenericRecord> rows = new ArrayList<>();
        for (ObjectInfo o : store.list(folder)) {
            Path local = tmp.resolve("read-" + UUID.randomUUID());
            store.download(o.key(), local);
            HourRewrite.rows(local, rows::add);
        }
        return rows;
    }

    /** A record as the raw archive connector writes it ({@code lakeTime}: the hour it is filed under). */
    private static GenericRecord archiveRow(Input record, long lakeTime, String timeSource) {
        GenericRecord row = new GenericData.Record(RawRecords.SCHEMA);
        row.put("topic", record.topic());
        row.put("partition", record.partition());
        row.put("offset", record.offset());
        row.put("timestamp", record.timestamp());
        row.put("timestamp_type", "CreateTime");
        row.put("key", record.key() == null ? null : ByteBuffer.wrap(record.key()));
        row.put("value", record.value() == null ? null : ByteBuffer.wrap(record.value()));
        List<GenericRecord> headers = new ArrayList<>();
        if (record.headers() != null) {
            for (Header h : record.headers()) {
                GenericRecord header = new GenericData.Record(HEADERS.getElementType());
                header.put("key", h.key());
                header.put("value", h.value() == null ? null : ByteBuffer.wrap(h.value()));
                headers.add(header);
            }
        }
        row.put("headers", new GenericData.Array<>(HEADERS, headers));
        row.put("lake_time", lakeTime);
        row.put("lake_time_source", timeSource);
        return row;
    }
}
