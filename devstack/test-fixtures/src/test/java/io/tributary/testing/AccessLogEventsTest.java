package io.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
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

    @Test
    void wideEventsAreAboutAKilobyteWithShuffledKeysAndSomeFieldsMissing() throws Exception {
        Instant base = Instant.parse("2026-11-22T12:00:00Z");
        long bytes = 0;
        int leaves = 0;
        Set<String> firstKeys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            byte[] event = AccessLogEvents.wide(i, base, 1 + i % 1000);
            bytes += event.length;
            JsonNode tree = JSON.readTree(event);
            leaves += leaves(tree);
            firstKeys.add(tree.fieldNames().next());
            assertThat(tree.get("event_id").asText()).isEqualTo("bench-" + i);
            assertThat(tree.get("source_type_id").asLong()).isEqualTo(1 + i % 1000);
            assertThat(Instant.parse(tree.get("event_time").asText())).isEqualTo(eventTime(i, base));
        }
        assertThat(bytes / 1000).isBetween(850L, 1150L);
        // 32 leaves, 4 always there, 28 each missing one time in five (or with their object): about 27 on average.
        assertThat(leaves / 1000.0).isBetween(25.0, 29.0);
        assertThat(firstKeys).hasSizeGreaterThan(10);
        assertThat(AccessLogEvents.wide(7, base, 3)).isEqualTo(AccessLogEvents.wide(7, base, 3));
    }

    private static int leaves(JsonNode node) {
        if (!node.isObject()) {
            return 1;
        }
        int count = 0;
        for (JsonNode child : node) {
            count += leaves(child);
        }
        return count;
    }
}
