package io.tributary.cli.athena.usage;

import io.tributary.lake.parquet.ContentNamedFile;
import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.swap.Finality;
import io.tributary.lake.swap.FolderSnapshot;
import io.tributary.lake.swap.Heartbeat;
import io.tributary.lake.swap.PartitionRecord.FolderState;
import io.tributary.lake.swap.PartitionSwap;
import io.tributary.lake.swap.Rewriter;
import io.tributary.lake.swap.SwapResult;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.lake.PartitionFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * Writes query rows into the lake table athena_queries, in the lake's key layout ({@link LakePath})
 * and partitioned by the hour of submission like every lake table. Each hour holds one object,
 * replaced through {@link PartitionSwap} (the lake's one way of replacing objects, crash-safe: a
 * row is never invisible) by one holding the union of the rows it had and the new ones (a query
 * id's newest collection wins), so runs over overlapping windows never duplicate a query and a
 * query collected while still running gets its final figures. The object is named by its content
 * ({@code q-<sha256>.parquet}, written the way {@link ContentNamedFile} writes every replacement):
 * a run that changes nothing in an hour publishes nothing there.
 */
public final class AthenaQueriesTable {
    private final ObjectStore store;
    private final LakePath paths;
    private final Path workDir;
    private final PartitionSwap swap;
    private final Schema schema = Contracts.schema(Contracts.ATHENA_QUERIES);

    /** What a write did: hour objects written, rows of this run, and rows already there (replaced or kept). */
    public record Written(int objects, int rows, int replaced, int kept) {
    }

    /** @param workDir where the Parquet files are built before upload */
    public AthenaQueriesTable(ObjectStore store, String prefix, Path workDir) {
        this.store = store;
        this.paths = new LakePath(prefix);
        this.workDir = workDir;
        // No sink writes athena_queries: every object is final.
        this.swap = new PartitionSwap(store, paths, Finality.ALL_FINAL, Duration.ofMinutes(2));
    }

    public Written write(List<QueryRecord> queries, CostModel prices, Instant collectedAt) throws IOException {
        Map<LakePath.HourPartition, List<GenericRecord>> byHour = new TreeMap<>();
        for (QueryRecord q : queries) {
            byHour.computeIfAbsent(LakePath.hourOf(q.submittedAt().toEpochMilli()), h -> new ArrayList<>())
                    .add(toRow(q, prices, collectedAt));
        }
        int replaced = 0;
        int kept = 0;
        for (Map.Entry<LakePath.HourPartition, List<GenericRecord>> hour : byHour.entrySet()) {
            HourRows rewrite = new HourRows(hour.getValue(), Files.createDirectories(workDir.resolve("hour-" + hour.getKey())));
            PartitionFolder folder = PartitionFolder.hourly(Contracts.ATHENA_QUERIES, hour.getKey());
            if (swap.run(folder, rewrite).outcome() == SwapResult.Outcome.BUSY) {
                throw new IOException("another process is replacing the rows of " + folder + " right now; run again when it is done");
            }
            replaced += rewrite.replaced;
            kept += rewrite.kept;
        }
        return new Written(byHour.size(), queries.size(), replaced, kept);
    }

    /** The replacement of one hour's objects by one holding their rows and the new ones, newest per query id. */
    private final class HourRows implements Rewriter {
        private final List<GenericRecord> rows;
        private final Path dir;
        int replaced;
        int kept;

        HourRows(List<GenericRecord> rows, Path dir) {
            this.rows = rows;
            this.dir = dir;
        }

        @Override
        public String kind() {
            return "q";
        }

        @Override
        public Plan plan(FolderSnapshot snapshot, FolderState state, Heartbeat heartbeat) throws IOException {
            Map<String, GenericRecord> union = new LinkedHashMap<>();
            for (ObjectInfo object : snapshot.finals().stream().sorted(Comparator.comparing(ObjectInfo::key)).toList()) {
                for (GenericRecord old : read(object, dir)) {
                    union.put(old.get("query_execution_id").toString(), old);
                }
            }
            for (GenericRecord row : rows) {
                if (union.put(row.get("query_execution_id").toString(), row) != null) {
                    replaced++;
                }
            }
            kept = union.size() - rows.size();
            try (ContentNamedFile file = new ContentNamedFile(dir, schema)) {
                for (GenericRecord row : union.values().stream().sorted(Comparator.comparing((GenericRecord r) -> (Long) r.get("submitted_at"))
                        .thenComparing(r -> r.get("query_execution_id").toString())).toList()) {
                    file.write(row);
                }
                return new Plan(snapshot.finals(), List.of(file.finish(kind())), List.of(), true, s -> s);
            }
        }
    }

    GenericRecord toRow(QueryRecord q, CostModel prices, Instant collectedAt) {
        GenericData.Record row = new GenericData.Record(schema);
        row.put("query_execution_id", q.id());
        row.put("workgroup", q.workgroup());
        row.put("principal", q.principal());
        row.put("catalog", q.catalog());
        row.put("database", q.database());
        row.put("statement_type", q.statementType());
        row.put("state", q.state());
        row.put("state_change_reason", q.stateChangeReason());
        row.put("submitted_at", q.submittedAt().toEpochMilli());
        row.put("completed_at", q.completedAt() == null ? null : q.completedAt().toEpochMilli());
        row.put("engine_execution_ms", q.engineMs());
        row.put("total_execution_ms", q.totalMs());
        row.put("data_scanned_bytes", q.bytesScanned());
        row.put("estimated_cost_usd", q.cost().doubleValue());
        row.put("price_per_tb_usd", prices.pricePerTb().doubleValue());
        row.put("query_text", q.sql());
        row.put("collected_at", collectedAt.toEpochMilli());
        return row;
    }

    /** The rows of an existing hour object, as records of the current contract (fields it lacks read as their default). */
    private List<GenericRecord> read(ObjectInfo object, Path dir) throws IOException {
        Path file = dir.resolve("existing-" + object.name());
        store.download(object.key(), file);
        try {
            List<GenericRecord> rows = new ArrayList<>();
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                    .withDataModel(GenericData.get()).build()) {
                for (GenericRecord old = reader.read(); old != null; old = reader.read()) {
                    GenericData.Record row = new GenericData.Record(schema);
                    for (Schema.Field f : schema.getFields()) {
                        row.put(f.pos(), old.getSchema().getField(f.name()) != null ? old.get(f.name())
                                : GenericData.get().getDefaultValue(f));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
