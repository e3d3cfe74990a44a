package io.tributary.connect.s3.record;

import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.time.RawTime;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Reads source records for the raw archive ({@code record.format=raw}): each becomes a row of the
 * {@code raw_records} contract holding exactly its bytes (key, value, headers) with its topic,
 * partition, offset and timestamp, filed under its lake time ({@link RawTime}). Nothing is parsed
 * beyond that time, so no record is ever errant here: tombstones and bytes that are not JSON are
 * archived too. Anything but bytes means a converter is not the ByteArrayConverter, which stops the task.
 */
public final class RawRecordDecoder implements RecordDecoder {
    private static final Schema ROW = Contracts.schema(Contracts.RAW_RECORDS);
    private static final Schema HEADERS = ROW.getField("headers").schema();
    private static final Schema HEADER = HEADERS.getElementType();

    private final Function<String, RawTime> timeOf;
    private final Map<String, RawTime> times = new HashMap<>();

    /** @param timeOf how the lake time of a record of a topic is read */
    public RawRecordDecoder(Function<String, RawTime> timeOf) {
        this.timeOf = timeOf;
    }

    @Override
    public Decoded decode(SinkRecord record) {
        if (record.timestamp() == null) {
            throw new DataException("the record has no timestamp (a message format before Kafka 0.10); the raw archive "
                    + "files records by time");
        }
        byte[] key = bytes(record.key(), "key.converter");
        byte[] value = bytes(record.value(), "value.converter");
        String topic = record.originalTopic();
        RawTime.Time time = times.computeIfAbsent(topic, timeOf).of(value, record.timestamp());
        GenericRecord row = new GenericData.Record(ROW);
        row.put("topic", topic);
        row.put("partition", record.originalKafkaPartition());
        row.put("offset", record.originalKafkaOffset());
        row.put("timestamp", record.timestamp());
        row.put("timestamp_type", record.timestampType().name);
        row.put("key", key == null ? null : ByteBuffer.wrap(key));
        row.put("value", value == null ? null : ByteBuffer.wrap(value));
        List<GenericRecord> headers = new ArrayList<>();
        int size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header h : record.headers()) {
            byte[] bytes = bytes(h.value(), "header.converter");
            GenericRecord header = new GenericData.Record(HEADER);
            header.put("key", h.key());
            header.put("value", bytes == null ? null : ByteBuffer.wrap(bytes));
            headers.add(header);
            size += h.key().length() + (bytes == null ? 0 : bytes.length);
        }
        row.put("headers", new GenericData.Array<>(HEADERS, headers));
        row.put("lake_time", time.millis());
        row.put("lake_time_source", time.source().label());
        return new Decoded(row, time.millis(), size);
    }

    private static byte[] bytes(Object value, String converter) {
        if (value == null || value instanceof byte[]) {
            return (byte[]) value;
        }
        throw new ConnectException("A record's " + converter.replace(".converter", "") + " is a " + value.getClass().getName()
                + ", not bytes: the raw archive keeps records as they are and needs " + converter
                + "=org.apache.kafka.connect.converters.ByteArrayConverter");
    }
}
