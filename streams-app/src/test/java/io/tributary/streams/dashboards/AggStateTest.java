package io.tributary.streams.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.streams.config.Measure;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AggStateTest {
    private static final List<Measure> MEASURES = List.of(Measure.parse("m", "count"), Measure.parse("m", "sum(amount)"),
            Measure.parse("m", "min(amount)"), Measure.parse("m", "max(amount)"), Measure.parse("m", "approx_distinct(user_id)"));
    private final Serde<AggState> serde = AggState.serde();

    private static Contribution row(String amount, String user) {
        return new Contribution("id", Arrays.asList(null, amount, amount, amount, user));
    }

    private AggState roundTrip(AggState state) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", state));
    }

    @Test
    void exactTotalsSurviveTheStoreAndSubtractionReturnsToNullSums() {
        AggState s = AggState.empty(MEASURES.size());
        s = roundTrip(s.add(row("0.10", "u1"), MEASURES));
        s = roundTrip(s.add(row("1234567890123456.78", "u2"), MEASURES));
        s = roundTrip(s.add(row(null, "u1"), MEASURES));
        assertThat(s.count()).isEqualTo(3);
        assertThat((BigDecimal) s.value(1, MEASURES.get(1))).isEqualByComparingTo("1234567890123456.88");
        assertThat((BigDecimal) s.value(2, MEASURES.get(2))).isEqualByComparingTo("0.10");
        assertThat((BigDecimal) s.value(3, MEASURES.get(3))).isEqualByComparingTo("1234567890123456.78");
        assertThat(s.value(4, MEASURES.get(4))).isEqualTo(2L);

        List<Measure> sums = List.of(MEASURES.get(0), MEASURES.get(1));
        AggState cdc = AggState.empty(2).add(new Contribution(null, Arrays.asList(null, "5.00")), sums)
                .add(new Contribution(null, Arrays.asList(null, (String) null)), sums);
        cdc = roundTrip(cdc.subtract(new Contribution(null, Arrays.asList(null, "5.00")), sums));
        assertThat(cdc.count()).isEqualTo(1);
        assertThat(cdc.value(1, sums.get(1))).as("only a null is left: the sum is null, as SQL's").isNull();
    }

    /** lgK 12: about 1.6 % relative standard error; three of them bound the estimate, and a replayed value changes nothing. */
    @Test
    void approximateDistinctCountsAreWithinThreeStandardErrorsAndIgnoreRepeats() {
        List<Measure> distinct = List.of(Measure.parse("m", "approx_distinct(user_id)"));
        AggState s = AggState.empty(1);
        for (int i = 0; i < 100_000; i++) {
            s.add(new Contribution(null, List.of("user-" + i)), distinct);
        }
        long estimate = (Long) roundTrip(s).value(0, distinct.get(0));
        assertThat(estimate).isBetween(95_200L, 104_800L);
        for (int i = 0; i < 1_000; i++) {
            s.add(new Contribution(null, List.of("user-" + i)), distinct);
        }
        assertThat(s.value(0, distinct.get(0))).isEqualTo(estimate);
        AggState small = AggState.empty(1);
        for (int i = 0; i < 50; i++) {
            small.add(new Contribution(null, List.of("u-" + i)), distinct);
        }
        assertThat(small.value(0, distinct.get(0))).as("exact at the demo's 50 users").isEqualTo(50L);
    }

    @Test
    void aRebuildsEstimateComesFromTheSameSketch() {
        List<Measure> distinct = List.of(Measure.parse("m", "approx_distinct(user_id)"));
        for (int n : new int[] {50, 20_000}) {
            AggState live = AggState.empty(1);
            List<String> values = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                live.add(new Contribution(null, List.of("user-" + i)), distinct);
                values.add("user-" + i);
            }
            assertThat(AggState.approxDistinct(values)).as("%d values in the same order", n).isEqualTo(live.value(0, distinct.get(0)));
            java.util.Collections.sort(values);
            java.util.Collections.reverse(values);
            long reordered = AggState.approxDistinct(values);
            assertThat(Math.abs(reordered - (Long) live.value(0, distinct.get(0)))).as("%d values in another order", n)
                    .isLessThanOrEqualTo(AggState.approxDistinctTolerance(n));
        }
    }
}
