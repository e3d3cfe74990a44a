package io.tributary.streams.dashboards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;

/**
 * The key of one bucket and group inside the aggregates app: the bucket start as 16 zero-padded
 * digits, then the group values as a JSON array. Keys of earlier buckets sort first, so closed
 * buckets are purged from the front of a store; the JSON keeps any group value apart from the next.
 *
 * @param start  the bucket start, epoch millis
 * @param groups the group values, in group-by order
 */
public record BucketKey(long start, List<String> groups) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DIGITS = 16;

    public BucketKey {
        groups = List.copyOf(groups);
    }

    public String encode() {
        try {
            return padded(start) + JSON.writeValueAsString(groups);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code start} as {@code String.format("%016d")} writes it, without a Formatter per event. */
    private static String padded(long start) {
        String sign = start < 0 ? "-" : "";
        String magnitude = Long.toString(start).substring(sign.length());
        return sign + "0".repeat(Math.max(0, DIGITS - sign.length() - magnitude.length())) + magnitude;
    }

    public static BucketKey decode(String key) {
        try {
            return new BucketKey(Long.parseLong(key.substring(0, DIGITS)),
                    Arrays.asList(JSON.readValue(key.substring(DIGITS), String[].class)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a bucket key: " + key, e);
        }
    }

    /** The bucket start of an encoded key, without parsing its groups. */
    static long startOf(String key) {
        return Long.parseLong(key.substring(0, DIGITS));
    }
}
