package io.tributary.cli.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLakeTest {
    @TempDir
    Path mirror;

    /** PipelineEndToEndIT once failed: the mirror kept a lake_partitions folder with no object left in it. */
    @Test
    void foldersWithoutParquetAreNoTables() throws Exception {
        Path hour = Files.createDirectories(mirror.resolve("lake/app_events/dt=2026-12-01/hour=10"));
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            st.execute("COPY (SELECT 'e-1' AS event_id) TO '" + hour.resolve("part.parquet") + "' (FORMAT parquet)");
        }
        Files.createDirectories(mirror.resolve("lake/lake_partitions/dt=2026-12-01/hour=10"));
        Files.writeString(Files.createDirectories(mirror.resolve("lake/notes")).resolve("README.txt"), "not a table");
        Files.createDirectories(mirror.resolve("lake/_tributary/complete"));

        try (LocalLake lake = LocalLake.over(mirror, "lake"); Statement st = lake.connection().createStatement();
             ResultSet r = st.executeQuery("SELECT event_id, hour FROM app_events")) {
            assertThat(lake.tables()).containsExactly("app_events");
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("e-1");
            assertThat(r.getString(2)).isEqualTo("10");
        }
    }
}
