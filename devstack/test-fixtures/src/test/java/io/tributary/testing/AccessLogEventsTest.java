package io.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessLogEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Instant eventTime(int i, Instant base) throws Exception {
        return Instant.parse(JSON.readTree(AccessLogEvents.bench(i, base)).get("event_time").asText());
    }

    /** A 4,000,000-event bench once ran 41 hours ahead of a base a day back, and the pipeline dead-lettered a third. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2_000_000, 4_000_000, 20_000_000})
    void benchEventsFromTheBenchBaseAreAllInThePast(int events) throws Exception {
        Instant now = Instant.parse("2026-11-22T12:00:00Z");
        Instant base = AccessLogEvents.benchBase(events, now);
        Instant last = eventTime(events - 1, base);
        assertThat(last).isBefore(now).isAfter(now.minus(Duration.ofMinutes(2)));
        assertThat(eventTime(0, base)).isEqualTo(base);
    }
}
