package io.tributary.cli.compact;

import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.swap.FolderSnapshot;
import io.tributary.lake.swap.PartitionSwap;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.lake.PartitionFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;

/**
 * A table's event-time watermark: the latest record time its lake holds, read from the newest hour
 * folder that has objects (the sink files each row by its record time) and from the time column's
 * maximum in the footers of that folder's most recently written objects (or the hour's start when
 * the table has no time column or no statistics). It is a lower bound of the true maximum, so hours
 * close late rather than early; never later than the clock (a row filed in the future closes nothing).
 */
final class EventTimeWatermark {
    /** How many of the newest folder's objects are read: the latest uploads, one per sink partition or so. */
    private static final int NEWEST_OBJECTS = 3;

    private final ObjectStore store;
    private final PartitionSwap swap;
    private final Path workDir;

    EventTimeWatermark(ObjectStore store, PartitionSwap swap, Path workDir) {
        this.store = store;
        this.swap = swap;
        this.workDir = workDir;
    }

    /** The watermark of {@code table} in epoch millis; empty when no hour since {@code from} has objects. */
    OptionalLong of(String table, LakePath.HourPartition from, Instant now) throws IOException {
        // The streams app accepts event times a little ahead of its clock: start one hour ahead.
        for (LakePath.HourPartition hour = LakePath.hourOf(now.toEpochMilli() + 3_600_000L); hour.compareTo(from) >= 0;
             hour = LakePath.hourOf(hour.startMillis() - 3_600_000L)) {
            FolderSnapshot snapshot = swap.snapshot(PartitionFolder.hourly(table, hour));
            List<ObjectInfo> objects = Stream.concat(snapshot.finals().stream(), snapshot.pending().stream())
                    .sorted(Comparator.comparing(ObjectInfo::lastModified).reversed()).limit(NEWEST_OBJECTS).toList();
            if (objects.isEmpty()) {
                continue;
            }
            long max = hour.startMillis();
            String column = Contracts.timeColumn(table).orElse(null);
            for (ObjectInfo object : column == null ? List.<ObjectInfo>of() : objects) {
                max = Math.max(max, maxOf(object, column));
            }
            return OptionalLong.of(Math.min(max, now.toEpochMilli()));
        }
        return OptionalLong.empty();
    }

    /** The column's maximum by the footer's statistics; Long.MIN_VALUE when it has none (or the object is gone). */
    private long maxOf(ObjectInfo object, String column) throws IOException {
        Path file = Files.createDirectories(workDir).resolve("watermark-" + object.name());
        try {
            try {
                store.download(object.key(), file);
            } catch (IOException gone) {
                return Long.MIN_VALUE; // replaced by a compaction since the listing: its rows are in the new object
            }
            long max = Long.MIN_VALUE;
            try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
                for (BlockMetaData block : reader.getFooter().getBlocks()) {
                    for (ColumnChunkMetaData chunk : block.getColumns()) {
                        Statistics<?> stats = chunk.getStatistics();
                        if (chunk.getPath().toDotString().equals(column) && stats != null && stats.hasNonNullValue()
                                && stats.genericGetMax() instanceof Long value) {
                            max = Math.max(max, value);
                        }
                    }
                }
            }
            return max;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
