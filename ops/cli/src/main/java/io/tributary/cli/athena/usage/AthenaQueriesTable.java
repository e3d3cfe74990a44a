package io.tributary.cli.athena.usage;

import io.tributary.lake.parquet.ParquetFileWriter;
import io.tributary.lake.store.ObjectStore;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * Writes query rows into the lake table athena_queries, in the lake's key layout ({@link LakePath})
 * and partitioned by the hour of submission like every lake table. Each hour holds one object with
 * a fixed name, rewritten with the union of the rows it had and the new ones (a query id's newest
 * collection wins), so runs over overlapping windows never duplicate a query and a query collected
 * while still running gets its final figures. Parquet is written the way the sink writes it
 * ({@link ParquetFileWriter}, parquet-avro with the contract as the schema).
 */
public final class AthenaQueriesTable {
    static final String CODEC = "snappy";
    private static final int ROW_GROUP_BYTES = 16 << 20;
    private static final int PAGE_BYTES = 1 << 20;

    private final ObjectStore store;
    private final LakePath paths;
    private final Path workDir;
    private final Schema schema = Contracts.schema(Contracts.ATHENA_QUERIES);

    /** What a write did: hour objects written, rows of this run, and rows already there (replaced or kept). */
    public record Written(int objects, int rows, int replaced, int kept) {
    }

    /** @param workDir where the Parquet files are built before upload */
    public AthenaQueriesTable(ObjectStore store, String prefix, Path workDir) {
        this.store = store;
        this.paths = new LakePath(prefix);
        this.workDir = workDir;
    }

    public Written write(List<QueryRecord> queries, CostModel prices, Instant collectedAt) throws IOException {
        Map<LakePath.HourPartition, List<GenericRecord>> byHour = new TreeMap<>(
                Comparator.comparing(LakePath.HourPartition::dt).thenComparing(LakePath.HourPartition::hour));
        for (QueryRecord q : queries) {
            byHour.computeIfAbsent(LakePath.hourOf(q.submittedAt().toEpochMilli()), h -> new ArrayList<>())
                    .add(toRow(q, prices, collectedAt));
        }
        Files.createDirectories(workDir);
        int replaced = 0;
        int kept = 0;
        for (Map.Entry<LakePath.HourPartition, List<GenericRecord>> hour : byHour.entrySet()) {
            String key = paths.file(Contracts.ATHENA_QUERIES, hour.getKey(), Contracts.ATHENA_QUERIES);
            Map<String, GenericRecord> union = new LinkedHashMap<>();
            for (GenericRecord old : read(store.get(key).map(ObjectStore.Versioned::content))) {
                union.put(old.get("query_execution_id").toString(), old);
            }
            for (GenericRecord row : hour.getValue()) {
                if (union.put(row.get("query_execution_id").toString(), row) != null) {
                    replaced++;
                }
            }
            kept += union.size() - hour.getValue().size();
            upload(key, union.values().stream().sorted(Comparator.comparing((GenericRecord r) -> (Long) r.get("submitted_at"))
                    .thenComparing(r -> r.get("query_execution_id").toString())).toList());
        }
        return new Written(byHour.size(), queries.size(), replaced, kept);
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
    private List<GenericRecord> read(Optional<byte[]> object) throws IOException {
        if (object.isEmpty()) {
            return List.of();
        }
        Path file = Files.createTempFile(workDir, "existing-", ".parquet");
        try {
            Files.write(file, object.get());
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

    private void upload(String key, List<GenericRecord> rows) throws IOException {
        Path file = Files.createTempFile(workDir, "athena_queries-", ".parquet");
        try {
            try (ParquetFileWriter writer = new ParquetFileWriter(file, schema, CODEC, ROW_GROUP_BYTES, PAGE_BYTES)) {
                for (GenericRecord row : rows) {
                    writer.write(row);
                }
            }
            store.upload(file, key);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
