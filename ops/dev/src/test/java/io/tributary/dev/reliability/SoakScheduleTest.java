package io.tributary.dev.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SoakScheduleTest {
    @Test
    void everyKindComesOnceInEachRoundOfFaults() {
        int kinds = Fault.values().length;
        LongStream.range(0, 50).forEach(seed -> {
            SoakCommand soak = new SoakCommand();
            soak.seed = seed;
            soak.faultEvery = Duration.ofSeconds(60);
            soak.duration = Duration.ofMinutes(30);
            List<Fault> faults = soak.schedule().stream().map(FaultRun.ScheduledFault::fault).toList();
            assertThat(faults).hasSize(29);
            for (int round = 0; round + kinds <= faults.size(); round += kinds) {
                assertThat(faults.subList(round, round + kinds)).as("seed %d, faults %d..", seed, round)
                        .containsExactlyInAnyOrder(Fault.values());
            }
        });
    }

    @Test
    void faultsComeOncePerIntervalBeforeTheEnd() {
        SoakCommand soak = new SoakCommand();
        soak.seed = 1;
        soak.faultEvery = Duration.ofSeconds(45);
        soak.duration = Duration.ofMinutes(3);
        assertThat(soak.schedule()).extracting(FaultRun.ScheduledFault::at)
                .containsExactly(Duration.ofSeconds(45), Duration.ofSeconds(90), Duration.ofSeconds(135));
    }
}
