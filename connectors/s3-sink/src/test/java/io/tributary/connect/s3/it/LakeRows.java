package io.tributary.connect.s3.it;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The rows the sink tests send: every column is a function of the row id, so a reader can check
 * each row it finds without keeping the input. Event times either advance over {@code hours} hours
 * from {@link #START} with one row in twenty late by up to six hours, or are scattered at random
 * over all {@code hours} hours at once (late data from weeks back: every hour open at the same time).
 */
final class LakeRows {
    static final Instant START = Instant.parse("2025-03-30T00:00:00Z");
    static final Schema DECIMAL = LogicalTypes.decimal(12, 2).addToSchema(Schema.create(Schema.Type.BYTES));
    static final Schema SCHEMA = SchemaBuilder.record("SinkRow").namespace("io.tributary.it").fields()
            .requiredLong("id")
            .name("ts").type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
            .requiredString("user_name")
            .name("amount").type(DECIMAL).noDefault()
            .optionalString("note")
            .endRecord();
    private static final long HOUR = 3_600_000L;

    private final long count;
    private final long hours;
    private final boolean scattered;

    private LakeRows(long count, long hours, boolean scattered) {
        this.count = count;
        this.hours = hours;
        this.scattered = scattered;
    }

    static LakeRows advancing(long count, long hours) {
        return new LakeRows(count, hours, false);
    }

    static LakeRows scattered(long count, long hours) {
        return new LakeRows(count, hours, true);
    }

    long count() {
        return count;
    }

    long time(long id) {
        if (scattered) {
            long h = mix(id);
            return START.toEpochMilli() + Math.floorMod(h, hours) * HOUR + Math.floorMod(h >>> 20, HOUR);
        }
        long t = START.toEpochMilli() + id * hours * HOUR / count;
        long h = mix(id);
        return Math.floorMod(h, 20) == 0 ? t - Math.floorMod(h >>> 8, 6 * HOUR) : t;
    }

    static String userName(long id) {
        return "ユーザー" + (id % 997);
    }

    static BigDecimal amount(long id) {
        return BigDecimal.valueOf(id % 100_000, 2);
    }

    static String note(long id) {
        return id % 7 == 0 ? null : "メモ " + id;
    }

    GenericRecord record(long id) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("id", id);
        r.put("ts", time(id));
        r.put("user_name", userName(id));
        r.put("amount", ByteBuffer.wrap(amount(id).unscaledValue().toByteArray()));
        r.put("note", note(id));
        return r;
    }

    private static long mix(long id) {
        long z = id * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 31);
    }
}
