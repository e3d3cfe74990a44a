package io.tributary.streams.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryChangesTest {
    private final HistoryChanges changes = new HistoryChanges();

    private List<String> changedSince(long seen) {
        List<String> changed = new ArrayList<>();
        assertThat(changes.changedSince(seen, changed::add)).isEqualTo(changes.count());
        return changed;
    }

    @Test
    void aReaderLearnsWhichKeysWereWrittenSinceItLastLooked() {
        changes.written("a");
        long seen = changes.count();
        changes.written("b");
        changes.written("c");

        assertThat(changedSince(seen)).containsExactly("b", "c");
        assertThat(changedSince(changes.count())).isEmpty();
    }

    @Test
    void aReaderTooFarBehindOrAReopenedStoreForgetsEverything() {
        for (int i = 0; i <= HistoryChanges.KEPT; i++) {
            changes.written("k" + i);
        }
        assertThat(changedSince(0)).containsExactly((String) null);
        assertThat(changedSince(1)).hasSize(HistoryChanges.KEPT).first().isEqualTo("k1");

        long seen = changes.count();
        changes.written("x");
        changes.written(null);
        changes.written("y");
        assertThat(changedSince(seen)).containsExactly("x", null);
    }
}
