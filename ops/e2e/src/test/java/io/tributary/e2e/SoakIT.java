package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.CliRun;
import io.tributary.testing.FreePorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak CI runs: `tributary soak` for 90 s with a random fault every 30 s on a stack of its
 * own, ending in the exact reconciliation. `tributary soak --duration 30m` is the long run (README).
 */
class SoakIT {
    @TempDir
    Path dir;

    @Test
    void aShortSoakWithRandomFaultsReconcilesExactly() throws Exception {
        List<String> args = new ArrayList<>(List.of("soak", "--duration", "45s", "--fault-every", "15s", "--seed", "7",
                "--data-dir", dir.toString()));
        args.addAll(FreePorts.stackFlags());
        CliRun soak = CliRun.of(args.toArray(String[]::new));
        assertThat(soak.exitCode()).as(soak.err()).isZero();
        assertThat(soak.out()).contains("PASSED").contains("heap after GC streams-app")
                .containsPattern("Soak of PT45S: faults \\{\\w+=\\d");
    }
}
