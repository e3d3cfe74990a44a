package io.tributary.cli.athena.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.athena.LakeVerifier;
import io.tributary.cli.athena.TableDefinition;
import io.tributary.cli.common.TributaryHome;
import io.tributary.lake.store.DirectoryObjectStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake table athena_queries: one object per submission hour in the lake's key layout, read back
 * with DuckDB (Hive partitions, as `tributary query` reads the lake); a second run over an
 * overlapping window replaces rows by query id instead of adding them; the generated Athena
 * definition (ops/athena/athena_queries.sql) matches the keys and footers.
 */
class AthenaQueriesTableTest {
    private static final CostModel PRICES = new CostModel(new BigDecimal("5.00"));

    @TempDir
    Path bucket;

    @TempDir
    Path work;

    private static QueryRecord query(String id, String submitted, String state, long bytes, String principal) {
        Instant at = Instant.parse(submitted);
        return new QueryRecord(id, "analytics", principal, "AwsDataCatalog", "tributary", "DML", state, null, at,
                state.equals("RUNNING") ? null : at.plusSeconds(3), 2800L, 3050L, bytes, "SELECT * FROM app_events -- " + id,
                PRICES.cost("DML", state, bytes));
    }

    private static Map<String, byte[]> objects(Path dir) throws IOException {
        Map<String, byte[]> out = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }

    @Test
    void overlappingRunsLeaveEachQueryOnceWithItsLatestFigures() throws Exception {
        String alice = "arn:aws:iam::111122223333:user/alice";
        DirectoryObjectStore store = new DirectoryObjectStore(bucket);
        AthenaQueriesTable table = new AthenaQueriesTable(store, "lake", work);

        List<QueryRecord> first = List.of(
                query("q-1", "2026-11-02T09:05:00Z", "SUCCEEDED", 3L << 30, alice),
                query("q-2", "2026-11-02T09:40:00Z", "RUNNING", 1L << 30, null),
                query("q-3", "2026-11-02T09:59:59.999Z", "FAILED", 0, alice),
                query("q-4", "2026-11-03T00:00:00Z", "SUCCEEDED", 5L << 20, alice));
        assertThat(table.write(first, PRICES, Instant.parse("2026-11-03T01:00:00Z")))
                .isEqualTo(new AthenaQueriesTable.Written(2, 4, 0, 0));

        // The next run covers 09:30 onwards: q-2 has finished and a principal; q-5 and q-6 are new.
        List<QueryRecord> second = List.of(
                query("q-2", "2026-11-02T09:40:00Z", "SUCCEEDED", 7L << 30, alice),
                query("q-3", "2026-11-02T09:59:59.999Z", "FAILED", 0, alice),
                query("q-5", "2026-11-03T00:30:00Z", "SUCCEEDED", 1L << 40, alice),
                query("q-6", "2026-11-04T23:59:00Z", "CANCELLED", 2L << 30, null));
        assertThat(table.write(second, PRICES, Instant.parse("2026-11-05T01:00:00Z")))
                .as("hour objects, rows, replaced, kept from the first run").isEqualTo(new AthenaQueriesTable.Written(3, 4, 2, 2));
        assertThat(store.uploads).as("one staged object per hour and run").isEqualTo(5);

        try (Stream<Path> files = Files.walk(bucket.resolve("lake/athena_queries"))) {
            assertThat(files.filter(Files::isRegularFile).map(f -> bucket.relativize(f).toString()).sorted()).satisfiesExactly(
                    f -> assertThat(f).matches("lake/athena_queries/dt=2026-11-02/hour=09/q-[0-9a-f]{32}\\.parquet"),
                    f -> assertThat(f).matches("lake/athena_queries/dt=2026-11-03/hour=00/q-[0-9a-f]{32}\\.parquet"),
                    f -> assertThat(f).matches("lake/athena_queries/dt=2026-11-04/hour=23/q-[0-9a-f]{32}\\.parquet"));
        }
        // The same rows again: every hour's content, and so its name, stays; nothing is published.
        Map<String, byte[]> before = objects(bucket.resolve("lake/athena_queries"));
        table.write(second, PRICES, Instant.parse("2026-11-05T01:00:00Z"));
        assertThat(objects(bucket.resolve("lake/athena_queries"))).containsOnlyKeys(before.keySet());
        assertThat(store.uploads).as("nothing staged").isEqualTo(5);
        List<String> rows = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
             ResultSet r = st.executeQuery("SELECT dt, hour, query_execution_id, state, data_scanned_bytes, principal, "
                     + "CAST(estimated_cost_usd AS DECIMAL(18, 10)), typeof(submitted_at), submitted_at, collected_at FROM read_parquet('" + bucket
                     + "/lake/athena_queries/**/*.parquet', hive_partitioning = true, hive_types_autocast = false) "
                     + "ORDER BY query_execution_id")) {
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= 10; c++) {
                    row.append(c == 1 ? "" : "|").append(r.getString(c));
                }
                rows.add(row.toString());
            }
        }
        assertThat(rows).containsExactly(
                "2026-11-02|09|q-1|SUCCEEDED|3221225472|" + alice + "|0.0146484375|TIMESTAMP WITH TIME ZONE|2026-11-02T09:05Z|2026-11-03T01:00Z",
                "2026-11-02|09|q-2|SUCCEEDED|7516192768|" + alice + "|0.0341796875|TIMESTAMP WITH TIME ZONE|2026-11-02T09:40Z|2026-11-05T01:00Z",
                "2026-11-02|09|q-3|FAILED|0|" + alice + "|0E-10|TIMESTAMP WITH TIME ZONE|2026-11-02T09:59:59.999Z|2026-11-05T01:00Z",
                "2026-11-03|00|q-4|SUCCEEDED|5242880|" + alice + "|0.0000476837|TIMESTAMP WITH TIME ZONE|2026-11-03T00:00Z|2026-11-03T01:00Z",
                "2026-11-03|00|q-5|SUCCEEDED|1099511627776|" + alice + "|5.0000000000|TIMESTAMP WITH TIME ZONE|2026-11-03T00:30Z|2026-11-05T01:00Z",
                "2026-11-04|23|q-6|CANCELLED|2147483648|null|0.0097656250|TIMESTAMP WITH TIME ZONE|2026-11-04T23:59Z|2026-11-05T01:00Z");

        String ddl = Files.readString(TributaryHome.athenaDdl().resolve("athena_queries.sql"));
        assertThat(LakeVerifier.verify(TableDefinition.parse(ddl), "tributary-lake", bucket)).isEmpty();
    }
}
