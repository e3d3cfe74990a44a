package io.tributary.schemas.time;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tributary.schemas.json.FlattenedLeaf;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The lake time of a source record as it arrives (raw bytes), read the way the streams app reads
 * it, so that the raw archive files a record under the hour its lake row has: archive hour H holds
 * exactly the source records behind lake hour H, and a replay of H reads only that folder.
 *
 * <ul>
 *   <li>JSON events: the leaf whose flattened name (nested keys joined by {@code _}, as the
 *       streams app flattens) is the events time field, as epoch milliseconds (a number or a
 *       numeric string) or ISO-8601 with an offset, inside {@code [min, kafka timestamp + max
 *       future]} (the app's event time window, judged against the record's own timestamp);</li>
 *   <li>Debezium change events: {@code payload.source.ts_ms}, the commit time;</li>
 *   <li>anything else (not JSON, no such field, outside the window, a tombstone): the Kafka
 *       timestamp, which is also the hour the app gives the record's dead letter.</li>
 * </ul>
 * Events are read with {@link FlattenedLeaf}. Wherever the app accepts an event, this gives its event time (RawTimeTest checks it against
 * the app's mapper); where the app refuses one, the fallback only decides which archive hour keeps it.
 */
public final class RawTime {
    private static final JsonFactory JSON = new JsonFactory();
    /** Compiled once: {@code String.matches} compiled it for every record, a quarter of this class's cost per event (JFR). */
    private static final Pattern INTEGRAL = Pattern.compile("-?\\d+");

    /** Where a record's lake time came from (stored with each archived record). */
    public enum Source {
        EVENT_TIME("event_time"), SOURCE_TS("source.ts_ms"), KAFKA_TIMESTAMP("kafka-timestamp");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A record's lake time in epoch milliseconds and where it came from. */
    public record Time(long millis, Source source) {
    }

    private final String eventsField;
    private final long minMillis;
    private final long maxFutureMs;

    private RawTime(String eventsField, long minMillis, long maxFutureMs) {
        this.eventsField = eventsField;
        this.minMillis = minMillis;
        this.maxFutureMs = maxFutureMs;
    }

    /** For JSON events whose time is the flattened field {@code field} (the app's events.time.field and window). */
    public static RawTime events(String field, long minMillis, long maxFutureMs) {
        return new RawTime(field, minMillis, maxFutureMs);
    }

    /** For Debezium change events (JSON with or without schemas). */
    public static RawTime debezium() {
        return new RawTime(null, 0, 0);
    }

    public Time of(byte[] value, long kafkaTimestamp) {
        return read(value, kafkaTimestamp, null).time();
    }

    /** A record's lake time and the leaf {@link #read} was asked for (null: none, or not asked). */
    public record Reading(Time time, FlattenedLeaf leaf) {
    }

    /**
     * {@link #of}, and for JSON events also the first leaf named {@code leaf} (null: none asked), read in
     * the same pass over the bytes (a replay reads each event's time and id: one scan instead of two).
     * A Debezium change event has no such leaf.
     */
    public Reading read(byte[] value, long kafkaTimestamp, String leaf) {
        Long time = null;
        FlattenedLeaf other = null;
        if (value != null && value.length > 0) {
            try {
                if (eventsField == null) {
                    time = sourceTs(value);
                } else {
                    FlattenedLeaf[] leaves = leaf == null ? FlattenedLeaf.findAll(value, eventsField)
                            : FlattenedLeaf.findAll(value, eventsField, leaf);
                    other = leaf == null ? null : leaves[1];
                    time = eventTime(leaves[0], kafkaTimestamp);
                }
            } catch (IOException | RuntimeException e) {
                time = null; // not JSON, or not what the app accepts: the record's own timestamp decides
            }
        }
        Time lakeTime = time == null ? new Time(kafkaTimestamp, Source.KAFKA_TIMESTAMP)
                : new Time(time, eventsField == null ? Source.SOURCE_TS : Source.EVENT_TIME);
        return new Reading(lakeTime, other);
    }

    private Long eventTime(FlattenedLeaf leaf, long kafkaTimestamp) {
        Long millis = leaf == null ? null : millis(leaf);
        return millis != null && millis >= minMillis && millis <= kafkaTimestamp + maxFutureMs ? millis : null;
    }

    /** Epoch millis as the app coerces a timestamp-millis column: an integral number or numeric string, or ISO-8601. */
    private static Long millis(FlattenedLeaf leaf) {
        if (leaf.isNumber()) {
            return integral(leaf.text());
        }
        if (!leaf.isString()) {
            return null;
        }
        String text = leaf.text().trim();
        if (INTEGRAL.matcher(text).matches()) {
            return integral(text);
        }
        try {
            return IsoTimestamps.epochMillis(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Long integral(String text) {
        BigDecimal d = new BigDecimal(text).stripTrailingZeros();
        if (d.scale() > 0 || d.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0
                || d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return null;
        }
        return d.longValueExact();
    }

    /** {@code payload.source.ts_ms} (or {@code source.ts_ms} of a value without schemas), skipping everything else unread. */
    private static Long sourceTs(byte[] value) throws IOException {
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Long inPayload = find(p, "payload", "source", "ts_ms");
            if (inPayload != null) {
                return inPayload;
            }
        }
        try (JsonParser p = JSON.createParser(value)) {
            p.nextToken();
            return find(p, "source", "ts_ms");
        }
    }

    /** The integer at {@code path} below the object the parser stands at, or null. */
    private static Long find(JsonParser p, String... path) throws IOException {
        int depth = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            JsonToken value = p.nextToken();
            if (!p.currentName().equals(path[depth])) {
                p.skipChildren();
                continue;
            }
            if (depth == path.length - 1) {
                return value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
            }
            if (value != JsonToken.START_OBJECT) {
                return null;
            }
            depth++;
        }
        return null;
    }
}
