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
        Long time = null;
        if (value != null && value.length > 0) {
            try {
                time = eventsField == null ? sourceTs(value) : eventTime(value, kafkaTimestamp);
            } catch (IOException | RuntimeException e) {
                time = null; // not JSON, or not what the app accepts: the record's own timestamp decides
            }
        }
        if (time == null) {
            return new Time(kafkaTimestamp, Source.KAFKA_TIMESTAMP);
        }
        return new Time(time, eventsField == null ? Source.SOURCE_TS : Source.EVENT_TIME);
    }

    private Long eventTime(byte[] value, long kafkaTimestamp) throws IOException {
        FlattenedLeaf leaf = FlattenedLeaf.find(value, eventsField);
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
