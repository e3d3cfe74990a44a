package io.tributary.cli.compact;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.lake.parquet.ParquetFileWriter;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.store.WriteCondition;
import io.tributary.lake.swap.PartitionRecord.FolderState;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.lake.PartitionFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Says which table hours are complete, in the two forms readers use: a {@code _SUCCESS} object per
 * complete hour under {@code <prefix>/_tributary/complete/<table>/dt=/hour=/} (for schedulers' S3 key
 * sensors; outside the table's folder because Athena reads every object under a LOCATION), and a
 * row in the lake table {@code lake_partitions} (for SQL). Each table hour's row is one small object,
 * {@code lake_partitions/dt=/hour=/<table>.parquet}, replaced by a single PUT when the hour's state
 * changes, so a reader sees the old row or the new one.
 */
final class Completeness {
    static final String TABLE = Contracts.LAKE_PARTITIONS;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final LakePath paths;
    private final Path workDir;
    private final Schema schema = Contracts.schema(TABLE);

    Completeness(ObjectStore store, LakePath paths, Path workDir) {
        this.store = store;
        this.paths = paths;
        this.workDir = workDir;
    }

    /**
     * Records {@code state} of an hour folder: complete (row, then marker), reopened (row, marker
     * removed), or nothing yet. The marker goes last, so a marker means the row is there too.
     */
    void record(PartitionFolder folder, FolderState state) throws IOException {
        if (state.closedAt() == null) {
            return;
        }
        writeRow(folder, state);
        String success = paths.successKey(folder);
        if (state.reopened()) {
            store.delete(List.of(success));
        } else {
            Map<String, Object> marker = new LinkedHashMap<>();
            marker.put("table", folder.table());
            marker.put("dt", folder.dt());
            marker.put("hour", folder.hour());
            marker.put("rows", state.rows());
            marker.put("files", state.files());
            marker.put("bytes", state.bytes());
            marker.put("closed_at", state.closedAt());
            marker.put("compacted_at", state.compactedAt());
            store.put(success, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(marker), WriteCondition.NONE);
        }
    }

    /**
     * Whether a complete hour's marker is there (one HEAD). A compactor killed after its swap and
     * before {@link #record} leaves an hour whose partition record says complete without the marker
     * or the row; the next pass finds it up to date and must record it then.
     */
    boolean recorded(PartitionFolder folder, FolderState state) throws IOException {
        return state.closedAt() == null || state.reopened() || store.metadata(paths.successKey(folder)).isPresent();
    }

    private void writeRow(PartitionFolder folder, FolderState state) throws IOException {
        GenericData.Record row = new GenericData.Record(schema);
        row.put("table_name", folder.table());
        row.put("rows", state.rows());
        row.put("files", state.files());
        row.put("bytes", state.bytes());
        row.put("closed_at", Instant.parse(state.closedAt()).toEpochMilli());
        row.put("compacted_at", Instant.parse(state.compactedAt() != null ? state.compactedAt() : state.closedAt()).toEpochMilli());
        row.put("reopened", state.reopened());
        Path file = Files.createTempFile(Files.createDirectories(workDir), TABLE + "-", ".parquet");
        try {
            try (ParquetFileWriter writer = new ParquetFileWriter(file, schema, "snappy", 1 << 20, 64 << 10)) {
                writer.write(row);
            }
            store.upload(file, rowKey(folder));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** {@code <prefix>/lake_partitions/dt=/hour=/<table>.parquet}: the hour's row, partitioned by the hour it describes. */
    String rowKey(PartitionFolder folder) {
        return paths.file(TABLE, folder.hourPartition(), folder.table());
    }
}
