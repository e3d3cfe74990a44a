package io.tributary.cli.dashboards;

import io.tributary.schemas.dashboards.AggregateRows;
import io.tributary.streams.dashboards.BucketKey;
import io.tributary.streams.dashboards.ConnectRows;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;

/**
 * What a rebuild of an aggregate's buckets {@code [from, to)} sends to its topic: an absolute row for
 * every bucket and group the lake has whose row on the topic differs (or is missing), and a tombstone
 * for every key of the range the topic holds that the lake no longer has. Rows equal but for their
 * {@code updated_at} are left alone, so a second rebuild of the same lake sends nothing.
 *
 * @param rows       encoded bucket key to the row to send; null is a tombstone
 * @param unchanged  rows of the lake the topic already holds as they are
 */
record RebuildChanges(Map<String, Struct> rows, int unchanged) {

    /**
     * @param lake     the aggregate's rows computed over the lake, for the buckets of the range
     * @param onTopic  the topic's latest row per encoded bucket key (deleted keys absent)
     * @param now      the rows' {@code updated_at}
     */
    static RebuildChanges of(ConnectRows connectRows, List<AggregateTable.Row> lake, Map<String, Struct> onTopic, long from, long to,
            long now) {
        Map<String, Struct> rows = new LinkedHashMap<>();
        Set<String> inLake = new HashSet<>();
        int unchanged = 0;
        for (AggregateTable.Row row : lake) {
            String key = row.key().encode();
            inLake.add(key);
            Struct value = connectRows.value(row.key(), row.values(), now);
            Struct current = onTopic.get(key);
            if (current != null && sameBut(current, value, AggregateRows.UPDATED_AT)) {
                unchanged++;
            } else {
                rows.put(key, value);
            }
        }
        List<String> gone = new ArrayList<>();
        onTopic.keySet().stream().filter(k -> !inLake.contains(k)).filter(k -> {
            long start = BucketKey.decode(k).start();
            return start >= from && start < to;
        }).sorted().forEach(gone::add);
        gone.forEach(k -> rows.put(k, null));
        return new RebuildChanges(rows, unchanged);
    }

    long tombstones() {
        return rows.values().stream().filter(Objects::isNull).count();
    }

    private static boolean sameBut(Struct a, Struct b, String ignored) {
        if (!a.schema().equals(b.schema())) {
            return false;
        }
        return a.schema().fields().stream().filter(f -> !f.name().equals(ignored))
                .allMatch(f -> Objects.equals(a.get(f), b.get(f)));
    }
}
