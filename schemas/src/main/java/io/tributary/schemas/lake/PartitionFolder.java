package io.tributary.schemas.lake;

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * One partition folder of a lake table: an hour ({@code dt=D/hour=H}, the pipeline's tables) or a
 * day ({@code dt=D}, tables partitioned by day only, such as snapshots and {@code lake_partitions}).
 * Replacing objects happens per folder; {@link LakePath} turns it into keys.
 *
 * @param hour two digits, or null for a day folder
 */
public record PartitionFolder(String table, String dt, String hour) {
    public PartitionFolder {
        LocalDate.parse(dt); // refuses anything but yyyy-MM-dd, so a folder always maps to a valid key
        if (hour != null && !hour.matches("([01]\\d|2[0-3])")) {
            throw new IllegalArgumentException("hour must be two digits 00-23, not " + hour);
        }
    }

    public static PartitionFolder hourly(String table, LakePath.HourPartition hour) {
        return new PartitionFolder(table, hour.dt(), hour.hour());
    }

    public static PartitionFolder daily(String table, String dt) {
        return new PartitionFolder(table, dt, null);
    }

    public boolean daily() {
        return hour == null;
    }

    /** The hour this folder holds; only for hour folders. */
    public LakePath.HourPartition hourPartition() {
        if (daily()) {
            throw new IllegalStateException(this + " is a day folder");
        }
        return new LakePath.HourPartition(dt, hour);
    }

    /** The first millisecond after this folder's time range (the end of the hour or of the day). */
    public long endMillis() {
        return daily() ? LocalDate.parse(dt).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
                : hourPartition().startMillis() + 3_600_000L;
    }

    /** {@code dt=D/hour=H} or {@code dt=D}: the folder below the table, as in keys. */
    public String partitionPath() {
        return "dt=" + dt + (daily() ? "" : "/hour=" + hour);
    }

    @Override
    public String toString() {
        return table + "/" + partitionPath();
    }
}
