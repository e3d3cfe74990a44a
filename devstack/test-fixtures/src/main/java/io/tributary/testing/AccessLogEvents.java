package io.tributary.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

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
        return bench(i, base, 1 + i % SOURCE_TYPES);
    }

    /** A bench event referring to the given source type. */
    public static byte[] bench(int i, Instant base, long sourceTypeId) {
        return event("bench-" + i, benchTime(base, i), i % 5000, sourceTypeId, i);
    }

    /**
     * A wider bench event as mobile and web SDKs send them (about 1 KB, 32 leaves: the {@link #event}
     * fields plus device, session, referrer, UTM, locale, A/B group and geo), with each object's keys
     * in a shuffled order and each optional field missing one time in five, all drawn from {@code i}
     * so a run is repeatable. The flattener cannot lean on keys arriving in one order, nor on every
     * path being present. Event id, time, type and source type are always there.
     */
    public static byte[] wide(int i, Instant base, long sourceTypeId) {
        Random random = new Random(i * 0x9E3779B97F4A7C15L);
        int user = i % 5000;
        String address = object(random, optional(random, "\"country\":\"JP\""),
                optional(random, "\"city\":\"東京都渋谷区神南一丁目\""), optional(random, "\"postal_code\":\"150-00" + (i % 90 + 10) + "\""));
        String profile = object(random, optional(random, "\"plan\":\"" + (i % 3 == 0 ? "free" : "pro") + "\""),
                "\"address\":" + address);
        String userObject = object(random, optional(random, "\"id\":\"u-" + user + "\""),
                optional(random, "\"email\":\"user" + user + "@example.jp\""),
                optional(random, "\"ip\":\"203.0.113." + (user % 250) + "\""), "\"profile\":" + profile);
        String request = object(random, optional(random, "\"path\":\"/ja/items/" + i + "/detail?ref=home_recommendation&page=" + (i % 40) + "&sort=popular\""),
                optional(random, "\"method\":\"" + (i % 5 == 0 ? "POST" : "GET") + "\""),
                optional(random, "\"status\":" + (i % 50 == 0 ? 404 : 200)),
                optional(random, "\"latency_ms\":" + (i % 900) + ".5"));
        String device = object(random, optional(random, "\"os\":\"" + (i % 2 == 0 ? "iOS 18.1" : "Android 15") + "\""),
                optional(random, "\"model\":\"" + (i % 2 == 0 ? "iPhone16,2" : "Pixel 9 Pro") + "\""),
                optional(random, "\"app_version\":\"4." + (i % 12) + ".3\""),
                optional(random, "\"user_agent\":\"Mozilla/5.0 (Linux; Android 15; Pixel 9 Pro) AppleWebKit/537.36 "
                        + "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36\""));
        String session = object(random, optional(random, "\"id\":\"" + new UUID(i / 20, 0x5E55L).toString() + "\""),
                optional(random, "\"seq\":" + (i % 20)));
        String utm = object(random, optional(random, "\"source\":\"newsletter\""), optional(random, "\"medium\":\"email\""),
                optional(random, "\"campaign\":\"winter_sale_" + (i % 4) + "\""));
        String geo = object(random, optional(random, "\"lat\":35.6" + (i % 1000)), optional(random, "\"lon\":139.7" + (i % 1000)));
        String event = object(random, "\"event_id\":\"bench-" + i + "\"",
                "\"event_time\":\"" + benchTime(base, i) + "\"",
                "\"event_type\":\"" + (i % 7 == 0 ? "purchase" : "page_view") + "\"",
                "\"source_type_id\":" + sourceTypeId, "\"user\":" + userObject, "\"request\":" + request,
                optional(random, "\"amount\":\"" + (i % 10000) + ".25\""), optional(random, "\"tags\":[\"bench\",\"テスト\",\"winter_sale\",\"mobile\"]"),
                optional(random, "\"campaign\":{\"name\":\"冬のセール 2026\"}"), "\"device\":" + device, "\"session\":" + session,
                optional(random, "\"referrer\":\"https://www.example.co.jp/search?q=%E5%86%AC%E3%81%AE%E3%82%BB%E3%83%BC%E3%83%AB&item=" + (i % 300)
                        + "&utm_source=newsletter\""),
                "\"utm\":" + utm, optional(random, "\"locale\":\"ja-JP\""),
                optional(random, "\"ab_group\":\"" + (char) ('A' + i % 3) + "\""), "\"geo\":" + geo);
        return event.getBytes(StandardCharsets.UTF_8);
    }

    /** The member, or null one time in five: an optional field the producer left out. */
    private static String optional(Random random, String member) {
        return random.nextInt(5) == 0 ? null : member;
    }

    /** A JSON object of the present members, in a shuffled order. */
    private static String object(Random random, String... members) {
        List<String> present = new ArrayList<>();
        for (String member : members) {
            if (member != null) {
                present.add(member);
            }
        }
        Collections.shuffle(present, random);
        return "{" + String.join(",", present) + "}";
    }

    /** The event time of bench event {@code i}: one every 37 ms from {@code base}. */
    public static Instant benchTime(Instant base, int i) {
        return base.plusMillis(i * BENCH_SPACING_MS);
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
