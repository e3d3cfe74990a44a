package io.tributary.lake.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LakeMirrorTest {
    @Test
    void copiesTableObjectsButNothingInAFolderTablesSkip() {
        assertThat(LakeMirror.hidden("app_events/dt=2026-11-01/hour=03/lake.app_events+0+1+9.parquet")).isFalse();
        assertThat(LakeMirror.hidden("app_events/dt=2026-11-01/hour=03/r-0123.parquet")).isFalse();
        assertThat(LakeMirror.hidden("_raw/app.events/dt=2026-11-01/hour=03/app.events+0+1+9.parquet")).isTrue();
        assertThat(LakeMirror.hidden("_tributary/replays/ab/dead_letters/x.parquet")).isTrue();
        assertThat(LakeMirror.hidden("app_events/.staging/x.parquet")).isTrue();
        assertThat(LakeMirror.hidden("app.events/dt=2026-11-01/hour=03/app.events+0+1+9.parquet"))
                .as("the archive mirrored from its own prefix").isFalse();
    }
}
