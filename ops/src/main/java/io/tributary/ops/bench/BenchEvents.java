package io.tributary.ops.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Deterministic nested JSON access-log events for benchmarks (about 450 bytes each). */
final class BenchEvents {
    private BenchEvents() {
    }

    static byte[] event(int i, Instant base) {
        return ("{\"event_id\":\"bench-" + i + "\",\"event_time\":\"" + base.plusMillis(i * 37L) + "\","
                + "\"event_type\":\"" + (i % 7 == 0 ? "purchase" : "page_view") + "\","
                + "\"user\":{\"id\":\"u-" + (i % 5000) + "\",\"email\":\"user" + (i % 5000) + "@example.jp\","
                + "\"ip\":\"203.0.113." + (i % 250) + "\",\"profile\":{\"plan\":\"pro\","
                + "\"address\":{\"country\":\"JP\",\"city\":\"東京都渋谷区\"}}},"
                + "\"source_type_id\":" + (1 + i % 5) + ","
                + "\"request\":{\"path\":\"/items/" + i + "\",\"method\":\"GET\",\"status\":200,\"latency_ms\":" + (i % 90) + ".5},"
                + "\"amount\":\"" + (i % 10000) + ".25\",\"tags\":[\"bench\",\"テスト\"],\"campaign\":{\"name\":\"冬\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
