package io.tributary.cli.cdc;

import io.tributary.cli.common.CliError;
import io.tributary.streams.cdc.LakeSchemaEvolution;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a CDC table's current state in the database with its current state in the lake: row
 * count and checksum per key range on both sides, then, only in ranges that differ, the hash of
 * each row. The lake trails the database by the pipeline's latency, so keys that differ are looked
 * at again after {@code settle}: a key whose database row stayed the same and still differs is
 * divergent; one whose row changed meanwhile is looked at again, up to three times.
 */
public final class CdcVerifier {
    private static final int ROUNDS = 3;
    /** Keys in a reader's order: integer keys by value (9 before 10), others as text. */
    static final Comparator<String> KEY_ORDER = (a, b) -> {
        if (a.matches("-?\\d{1,18}") && b.matches("-?\\d{1,18}")) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        return a.compareTo(b);
    };

    private final SourceDatabase database;
    private final LakeState lake;
    private final long rangeSize;
    private final Duration settle;

    public CdcVerifier(SourceDatabase database, LakeState lake, long rangeSize, Duration settle) {
        this.database = database;
        this.lake = lake;
        this.rangeSize = rangeSize;
        this.settle = settle;
    }

    /** The table as both sides see it now: its key and the columns both have. */
    public VerifiedTable describe(String dataCollection, String lakeTable) throws SQLException, IOException {
        int dot = dataCollection.indexOf('.');
        if (dot < 0) {
            throw new CliError("Table '" + dataCollection + "' is not database.table");
        }
        String db = dataCollection.substring(0, dot);
        String table = dataCollection.substring(dot + 1);
        Map<String, String[]> dbColumns = database.columns(db, table);
        List<String> key = database.primaryKey(db, table);
        if (dbColumns.isEmpty() || key.isEmpty()) {
            throw new CliError("Table " + dataCollection + (dbColumns.isEmpty() ? " does not exist in the database"
                    : " has no primary key; cdc verify compares rows by key"));
        }
        if (!lake.refresh(lakeTable)) {
            throw new CliError("The lake has no objects of table " + lakeTable + " yet");
        }
        Map<String, String> lakeTypes = lake.columnTypes(lakeTable);
        List<ComparedColumn> columns = new ArrayList<>();
        Map<String, ComparedColumn> byName = new HashMap<>();
        dbColumns.forEach((name, types) -> {
            String lakeName = LakeSchemaEvolution.lakeName(name);
            if (lakeTypes.containsKey(lakeName)) {
                ComparedColumn c = new ComparedColumn(name, lakeName, types[0], types[1], lakeTypes.get(lakeName));
                columns.add(c);
                byName.put(name, c);
            }
        });
        List<ComparedColumn> keyColumns = new ArrayList<>();
        for (String k : key) {
            if (!byName.containsKey(k)) {
                throw new CliError("Key column " + k + " of " + dataCollection + " is not in lake table " + lakeTable);
            }
            keyColumns.add(byName.get(k));
        }
        return new VerifiedTable(db, table, lakeTable, keyColumns, columns, new KeyRanges(keyColumns, rangeSize));
    }

    public Divergence verify(VerifiedTable t) throws SQLException, IOException, InterruptedException {
        lake.refresh(t.lakeTable());
        lake.current(t);
        Map<Long, RangeChecksum> dbSums = database.checksums(t);
        Map<Long, RangeChecksum> lakeSums = lake.checksums(t);
        Set<Long> ranges = new TreeSet<>(dbSums.keySet());
        ranges.addAll(lakeSums.keySet());
        Set<Long> differing = new TreeSet<>(ranges);
        differing.removeIf(r -> Objects.equals(dbSums.get(r), lakeSums.get(r)));
        long dbRows = dbSums.values().stream().mapToLong(RangeChecksum::rows).sum();
        long lakeRows = lakeSums.values().stream().mapToLong(RangeChecksum::rows).sum();
        Set<String> missing = new TreeSet<>(KEY_ORDER);
        Set<String> extra = new TreeSet<>(KEY_ORDER);
        Set<String> different = new TreeSet<>(KEY_ORDER);
        Set<String> changing = new TreeSet<>(KEY_ORDER);
        if (!differing.isEmpty()) {
            Map<String, String> dbRowsNow = database.rowHashes(t, t.ranges().databaseIn(differing));
            Map<String, String> lakeRowsNow = lake.rowHashes(t, t.ranges().lakeIn(differing));
            Set<String> candidates = differingKeys(dbRowsNow, lakeRowsNow);
            for (int round = 0; round < ROUNDS && !candidates.isEmpty(); round++) {
                Thread.sleep(settle.toMillis());
                lake.refresh(t.lakeTable());
                lake.current(t);
                Map<String, String> dbLater = database.rowHashes(t, t.ranges().databaseIn(differing));
                Map<String, String> lakeLater = lake.rowHashes(t, t.ranges().lakeIn(differing));
                Set<String> stillDiffering = differingKeys(dbLater, lakeLater);
                Set<String> next = new HashSet<>();
                for (String key : candidates) {
                    if (!stillDiffering.contains(key)) {
                        continue; // the lake caught up
                    }
                    if (!Objects.equals(dbRowsNow.get(key), dbLater.get(key))) {
                        next.add(key); // the database row changed meanwhile: look again
                    } else if (!dbLater.containsKey(key)) {
                        extra.add(key);
                    } else if (!lakeLater.containsKey(key)) {
                        missing.add(key);
                    } else {
                        different.add(key);
                    }
                }
                candidates = next;
                dbRowsNow = dbLater;
            }
            changing.addAll(candidates);
        }
        return new Divergence(t.dataCollection(), dbRows, lakeRows, ranges.size(), differing.size(), missing, extra,
                different, changing);
    }

    private static Set<String> differingKeys(Map<String, String> db, Map<String, String> lake) {
        Set<String> keys = new HashSet<>(db.keySet());
        keys.addAll(lake.keySet());
        keys.removeIf(k -> Objects.equals(db.get(k), lake.get(k)));
        return keys;
    }
}
