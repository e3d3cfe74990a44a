package io.tributary.lake.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.lake.LakePath;
import org.junit.jupiter.api.Test;

/** What the mirror copies: table objects, nothing in a folder tables skip (LakePath.isDataObject). */
class LakeMirrorTest {
    @Test
    void copiesTableObjectsButNothingInAFolderTablesSkip() {
        LakePath lake = new LakePath("lake");
        assertThat(lake.isDataObject("lake/app_events/dt=2026-11-01/hour=03/lake.app_events+0+1+9.parquet")).isTrue();
        assertThat(lake.isDataObject("lake/app_events/dt=2026-11-01/hour=03/r-0123.parquet")).isTrue();
        assertThat(lake.isDataObject("lake/_raw/app.events/dt=2026-11-01/hour=03/app.events+0+1+9.parquet")).isFalse();
        assertThat(lake.isDataObject("lake/_tributary/replays/ab/dead_letters/x.parquet")).isFalse();
        assertThat(lake.isDataObject("lake/app_events/.staging/x.parquet")).isFalse();
        assertThat(new LakePath("lake/_raw").isDataObject("lake/_raw/app.events/dt=2026-11-01/hour=03/app.events+0+1+9.parquet"))
                .as("the archive mirrored from its own prefix").isTrue();
    }
}
