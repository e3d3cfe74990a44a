package io.tributary.schemas.lake;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The lake's object layout, in one place for the sink (which writes the keys) and the Athena DDL
 * (whose partition-projection template must match them letter for letter):
 * {@code <prefix>/<table>/dt=YYYY-MM-DD/hour=HH/<topic>+<partition>+<startOffset>+<endOffset>.parquet},
 * with dt and hour in UTC from the record time. Offsets make a file's name deterministic, so every
 * writer of the same records names the same object. A file whose plain key is already taken by
 * another owner's object (an earlier incarnation of the topic) gets its owner's suffix before the
 * extension ({@code ...+<endOffset>.<suffix>.parquet}).
 */
public final class LakePath {
    public static final String DT_FORMAT = "yyyy-MM-dd";
    public static final String EXTENSION = ".parquet";
    /** The raw archive's folder below the prefix. */
    public static final String RAW_DIR = "_raw";
    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern(DT_FORMAT, Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final long HOUR_MILLIS = 3_600_000L;
    private static final String[] HOURS = IntStream.range(0, 24)
            .mapToObj(h -> String.format(Locale.ROOT, "%02d", h)).toArray(String[]::new);
    private static final Pattern FILE = Pattern.compile("(.+)\\+(\\d+)\\+(\\d+)\\+(\\d+)(\\.[0-9a-f]{8})?\\.parquet");
    /** Tributary's own folder below the prefix: markers, partition records, staging, completeness markers. */
    public static final String INTERNAL = "_tributary";
    private static final String SWAP_INDEX_SUFFIX = ".swap";
    private static final Pattern SWAP_INDEX = Pattern.compile("swaps/([^/]+)/dt=([^/]+?)(?:/hour=([^/]+))?\\.swap$");

    private final String prefix;

    /** @param prefix key prefix without leading or trailing slash; empty for the bucket root */
    public LakePath(String prefix) {
        String p = prefix == null ? "" : prefix.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        this.prefix = p;
    }

    /**
     * The hour partition of a record time (epoch millis), always UTC. The sink asks it for every
     * record, so it is computed from the epoch hour rather than through a formatter (which showed in
     * the sink's profile); {@link LocalDate#toString} is {@value #DT_FORMAT} for years 1 to 9999.
     */
    public static HourPartition hourOf(long epochMillis) {
        long epochHour = Math.floorDiv(epochMillis, HOUR_MILLIS);
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(epochHour, 24));
        String dt = day.getYear() >= 1 && day.getYear() <= 9999 ? day.toString() : DT.format(day);
        return new HourPartition(dt, HOURS[(int) Math.floorMod(epochHour, 24)]);
    }

    /** dt and hour values, formatted as in the object keys. */
    public record HourPartition(String dt, String hour) implements Comparable<HourPartition> {
        /** The first millisecond of this hour. */
        public long startMillis() {
            return java.time.LocalDate.parse(dt).atStartOfDay(ZoneOffset.UTC).plusHours(Integer.parseInt(hour))
                    .toInstant().toEpochMilli();
        }

        /** The hour after this one. */
        public HourPartition next() {
            return hourOf(startMillis() + 3_600_000L);
        }

        /** {@code 2026-11-05T03}, as hours are written on the command line. */
        @Override
        public String toString() {
            return dt + "T" + hour;
        }

        @Override
        public int compareTo(HourPartition other) {
            int byDay = dt.compareTo(other.dt);
            return byDay != 0 ? byDay : hour.compareTo(other.hour);
        }
    }

    /** The folder of one table hour: {@code <prefix>/<table>/dt=.../hour=.../}. */
    public String folder(String table, HourPartition hour) {
        return tableRoot(table) + "dt=" + hour.dt() + "/hour=" + hour.hour() + "/";
    }

    /** The key of a file holding offsets {@code start..end} of one topic partition for one table hour. */
    public String file(String table, HourPartition hour, String topic, int partition, long startOffset, long endOffset) {
        return folder(table, hour) + topic + "+" + partition + "+" + startOffset + "+" + endOffset + EXTENSION;
    }

    /**
     * The key of a table hour's file named by its writer rather than by offsets, e.g. the one file
     * per hour that {@code tributary athena usage --write-lake} rewrites.
     */
    public String file(String table, HourPartition hour, String name) {
        return folder(table, hour) + name + EXTENSION;
    }

    /** The key of a file whose plain key {@code fileKey} holds another owner's object. */
    public static String withOwnerSuffix(String fileKey, String suffix) {
        return fileKey.substring(0, fileKey.length() - EXTENSION.length()) + "." + suffix + EXTENSION;
    }

    /** {@code <prefix>/<table>/}: the table's LOCATION. */
    public String tableRoot(String table) {
        return (prefix.isEmpty() ? "" : prefix + "/") + table + "/";
    }

    /**
     * The sink's per-partition marker object. It lives beside the tables, under {@code _tributary/},
     * which Athena and Trino never read (they skip keys starting with an underscore, and no table's
     * LOCATION contains it).
     */
    public String markerKey(String topic, int partition) {
        return internal("markers/" + topic + "/" + partition + ".json");
    }

    /** The object a task writes conditionally to learn whether the store honours conditional writes. */
    public String probeKey(String connector) {
        return internal("probe/" + (connector.isEmpty() ? "unnamed" : URLEncoder.encode(connector, StandardCharsets.UTF_8))
                + ".json");
    }

    /**
     * Where the raw archive keeps the source records ({@code <prefix>/_raw/}, the raw archive
     * connector's topics.dir): its folders are {@code <topic>/dt=/hour=/}, outside every table.
     */
    public LakePath raw() {
        return new LakePath((prefix.isEmpty() ? "" : prefix + "/") + RAW_DIR);
    }

    /** A key of replay {@code id}'s own objects (plan, cut, dead letters), under {@code _tributary/replays/}. */
    public String replayKey(String id, String path) {
        return internal("replays/" + id + "/" + path);
    }

    /** A key under {@code <prefix>/_tributary/}, beside the tables and never read by Athena. */
    private String internal(String path) {
        return internalRoot() + path;
    }

    /** {@code <prefix>/_tributary/}: Tributary's own objects, outside every table's LOCATION. */
    public String internalRoot() {
        return (prefix.isEmpty() ? "" : prefix + "/") + INTERNAL + "/";
    }

    /** The folder of a partition: {@code <prefix>/<table>/dt=.../hour=.../} or {@code <prefix>/<table>/dt=.../}. */
    public String folder(PartitionFolder folder) {
        return tableRoot(folder.table()) + folder.partitionPath() + "/";
    }

    /**
     * The partition record of a folder: its replacement journal, the lease of whoever replaces
     * objects in it, and its completeness state ({@code _tributary/partitions/<table>/dt=.../hour=....json}).
     */
    public String partitionRecordKey(PartitionFolder folder) {
        return internal("partitions/" + folder.table() + "/" + folder.partitionPath() + ".json");
    }

    /** Where a replacement uploads its new objects before publishing them: invisible to every table. */
    public String stagingPrefix(PartitionFolder folder, String swapId) {
        return stagingPrefix(folder) + swapId + "/";
    }

    /** The staging area of every replacement in one folder. */
    public String stagingPrefix(PartitionFolder folder) {
        return internal("staging/" + folder.table() + "/" + folder.partitionPath() + "/");
    }

    /** Every folder's staging area, for a bucket lifecycle rule. */
    public String stagingRoot() {
        return internal("staging/");
    }

    /**
     * An empty object that exists while a replacement in {@code folder} is journaled and unfinished,
     * so one listing of {@link #swapIndexRoot()} finds every replacement a crash interrupted.
     */
    public String swapIndexKey(PartitionFolder folder) {
        return internal("swaps/" + folder.table() + "/" + folder.partitionPath() + SWAP_INDEX_SUFFIX);
    }

    public String swapIndexRoot() {
        return internal("swaps/");
    }

    /** The folder a {@link #swapIndexKey} names, or null when the key is not one. */
    public PartitionFolder folderOfSwapIndex(String key) {
        Matcher m = SWAP_INDEX.matcher(key);
        if (!key.startsWith(swapIndexRoot()) || !m.find()) {
            return null;
        }
        return new PartitionFolder(m.group(1), m.group(2), m.group(3));
    }

    /**
     * The {@code _SUCCESS} marker of a complete partition. It lives under {@code _tributary/complete/},
     * not in the folder: Athena reads every object under a table's LOCATION and cannot be told to skip one.
     */
    public String successKey(PartitionFolder folder) {
        return internal("complete/" + folder.table() + "/" + folder.partitionPath() + "/_SUCCESS");
    }

    /**
     * Whether a key below the prefix is hidden from readers: a path segment starts with {@code _} or
     * {@code .} (Tributary's own objects, staging, the raw archive), as Hive and Trino treat such names.
     */
    public boolean isHidden(String key) {
        String below = prefix.isEmpty() ? key : key.startsWith(prefix + "/") ? key.substring(prefix.length() + 1) : key;
        for (String segment : below.split("/")) {
            if (segment.startsWith("_") || segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** A Parquet object a table reads: ends in .parquet and is not {@linkplain #isHidden hidden}. */
    public boolean isDataObject(String key) {
        return key.endsWith(EXTENSION) && !isHidden(key);
    }

    /** Athena/Trino {@code storage.location.template} for partition projection, matching {@link #folder}. */
    public String projectionTemplate(String bucket, String table) {
        return "s3://" + bucket + "/" + tableRoot(table) + "dt=${dt}/hour=${hour}/";
    }

    /** The template of a table partitioned by day only ({@link PartitionFolder#daily}), matching {@link #folder(PartitionFolder)}. */
    public String dailyProjectionTemplate(String bucket, String table) {
        return "s3://" + bucket + "/" + tableRoot(table) + "dt=${dt}/";
    }

    /** The offsets named by a file key, or null when the key is not a lake file. */
    public static FileOffsets parseFile(String key) {
        Matcher m = FILE.matcher(key.substring(key.lastIndexOf('/') + 1));
        if (!m.matches()) {
            return null;
        }
        return new FileOffsets(m.group(1), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)));
    }

    /** Topic, partition and offset range that a file name declares. */
    public record FileOffsets(String topic, int partition, long startOffset, long endOffset) {
    }
}
