package io.tributary.schemas.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoTimestampsTest {
    @ParameterizedTest
    @ValueSource(strings = {"2025-11-22T03:15:30.250Z", "2025-11-22T12:15:30.250+09:00", "2024-02-29T23:59:59Z",
            "1969-12-31T23:59:59.999999999-00:00", "0000-01-01T00:00:00.1+18:00", "9999-12-31T23:59:59.5-05:30"})
    void readsTheCommonFormByHandWithJavaTimesResult(String text) {
        assertThat(IsoTimestamps.common(text)).isNotEqualTo(IsoTimestamps.NOT_COMMON)
                .isEqualTo(IsoTimestamps.javaTime(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-11-22T24:00:00Z", "2016-12-31T23:59:60Z", "2025-02-29T00:00:00Z", "2025-11-22t03:15:30z",
            "2025-11-22T03:15:30.Z", "2025-11-22T03:15:30.1234567890Z", "2025-11-22T03:15:30+0900", "+12025-11-22T03:15:30Z",
            "2025-11-22T03:15Z", "2025-11-22 03:15:30Z", "2025-11-22T03:15:30+18:01"})
    void leavesEverythingElseToJavaTime(String text) {
        assertThat(IsoTimestamps.common(text)).isEqualTo(IsoTimestamps.NOT_COMMON);
    }

    /** Random near-misses around the common form: the result or the refusal is java.time's, always. */
    @Test
    void agreesWithJavaTimeOnRandomNearMisses() {
        Random random = new Random(20261122);
        String[] zones = {"Z", "z", "+09:00", "-00:00", "+00:00", "-03:30", "+18:00", "-18:00", "+18:01", "+19:00",
                "+09:60", "+0900", "+09", "", " Z", "Z "};
        int common = 0;
        for (int n = 0; n < 60_000; n++) {
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62),
                    fraction(random), zones[random.nextInt(zones.length)]);
            if (IsoTimestamps.common(text) != IsoTimestamps.NOT_COMMON) {
                common++;
            }
            assertThat(outcome(() -> IsoTimestamps.epochMillis(text))).as(text)
                    .isEqualTo(outcome(() -> IsoTimestamps.javaTime(text)));
        }
        assertThat(common).as("strings read by hand").isGreaterThan(6_000);
    }

    @Test
    void truncatesBeyondMillisAsInstantDoes() {
        String text = "1969-12-31T23:59:59.9999Z";
        assertThat(IsoTimestamps.epochMillis(text)).isEqualTo(Instant.parse(text).toEpochMilli()).isEqualTo(-1L);
    }

    private static String fraction(Random random) {
        int digits = random.nextInt(12) - 1; // -1: none
        if (digits < 0) {
            return "";
        }
        StringBuilder f = new StringBuilder(".");
        for (int i = 0; i < digits; i++) {
            f.append(random.nextInt(10));
        }
        return f.toString();
    }

    private static String outcome(java.util.function.LongSupplier parse) {
        try {
            return Long.toString(parse.getAsLong());
        } catch (RuntimeException e) {
            return "refused";
        }
    }
}
