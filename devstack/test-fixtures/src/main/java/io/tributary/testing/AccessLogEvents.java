package io.tributary.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Nested JSON access-log events as applications send them (about 450 bytes each): the user with
 * PII and a nested profile, the source type the event came through (a master id), the request,
 * an amount, tags, and a field the contract does not declare. Used by the demo and the benchmarks.
 */
public final class AccessLogEvents {
    /** Source types the bench events refer to: ids 1 to 5. */
    public static final int SOURCE_TYPES = 5;
    private static final long BENCH_SPACING_MS = 37;

    private AccessLogEvents() {
    }

    public static byte[] event(String eventId, Instant time, int user, long sourceTypeId, int n) {
        return ("{\"event_id\":\"" + eventId + "\",\"event_time\":\"" + time + "\","
                + "\"event_type\":\"" + (n % 7 == 0 ? "purchase" : "page_view") + "\","
                + "\"user\":{\"id\":\"u-" + user + "\",\"email\":\"user" + user + "@example.jp\","
                + "\"ip\":\"203.0.113." + (user % 250) + "\",\"profile\":{\"plan\":\"pro\","
                + "\"address\":{\"country\":\"JP\",\"city\":\"東京都渋谷区\"}}},"
                + "\"source_type_id\":" + sourceTypeId + ","
                + "\"request\":{\"path\":\"/items/" + n + "\",\"method\":\"GET\",\"status\":200,\"latency_ms\":" + (n % 90) + ".5},"
                + "\"amount\":\"" + (n % 10000) + ".25\",\"tags\":[\"demo\",\"テスト\"],\"campaign\":{\"name\":\"冬\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Deterministic events for benchmarks: 5,000 users, five source types, one every 37 ms from {@code base}. */
    public static byte[] bench(int i, Instant base) {
        return event("bench-" + i, base.plusMillis(i * BENCH_SPACING_MS), i % 5000, 1 + i % SOURCE_TYPES, i);
    }

    /**
     * The {@code base} that puts {@code events} bench events, the last a minute before {@code now}, all
     * in the past: the pipeline dead-letters events from more than events.max.future.ms ahead (as the
     * broker would reject them), and benchmarks measure the normal path.
     */
    public static Instant benchBase(int events, Instant now) {
        return now.minusMillis(events * BENCH_SPACING_MS).minus(Duration.ofMinutes(1));
    }
}
