package io.tributary.cli.dashboards;

import io.tributary.cli.common.CliError;
import io.tributary.schemas.contract.CurrentState;
import io.tributary.schemas.dashboards.AggregateRows;
import io.tributary.streams.config.Aggregate;
import io.tributary.streams.config.DashboardSettings;
import io.tributary.streams.dashboards.Bucketing;
import io.tributary.streams.dashboards.ConnectRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Struct;

/**
 * Recomputes the dashboard buckets of a time range from the lake and makes each aggregate's topic
 * (and so its PostgreSQL table, which the JDBC sink upserts from it) hold exactly them: the rows
 * come from the same SQL the demo's reconciliation checks PostgreSQL against ({@link LakeAggregateSql}:
 * events counted once per event id, CDC tables by their current rows), are written in the streams
 * app's record format ({@link ConnectRows}) with the same keys, and keys of the range the lake no
 * longer has get tombstones. Only rows that differ are sent, so a rebuild run again sends nothing.
 *
 * <p>Buckets of event aggregates still open in the streams app (their end plus the grace period is
 * after now) are refused: the live app would overwrite the rebuilt row with its own totals at its
 * next event for that bucket, so the two would fight over the key.
 */
public final class DashboardRebuild {
    private final DashboardSettings settings;
    private final Connection lake;
    private final AggregateTopics topics;

    /**
     * @param settings the dashboards, as the streams app resolves them (grace defaults applied)
     * @param lake     DuckDB over the lake ({@code tributary query}'s {@code LocalLake})
     */
    public DashboardRebuild(DashboardSettings settings, Connection lake, AggregateTopics topics) {
        this.settings = settings;
        this.lake = lake;
        this.topics = topics;
    }

    /** What a rebuild of one aggregate did. */
    public record Result(String aggregate, long from, long to, int lakeRows, int unchanged, int written, long tombstones) {
        @Override
        public String toString() {
            return String.format("%s %s .. %s: %d row(s) in the lake, %d unchanged, %d written, %d deleted", aggregate,
                    AggregateRows.time(from), AggregateRows.time(to), lakeRows, unchanged, written - tombstones, tombstones);
        }
    }

    /** The aggregates over a lake table, or the one named (empty: all). */
    public static List<Aggregate> aggregates(DashboardSettings settings, Optional<String> name, Optional<String> table) {
        List<Aggregate> chosen = settings.aggregates().stream().filter(a -> name.map(a.name()::equals).orElse(true))
                .filter(a -> table.map(a.table()::equals).orElse(true)).toList();
        if (name.isPresent() && chosen.isEmpty()) {
            throw new CliError("no aggregate " + name.get() + " in the pipeline's configuration; aggregates: "
                    + String.join(", ", settings.aggregates().stream().map(Aggregate::name).toList()));
        }
        return chosen;
    }

    /**
     * The buckets of {@code a} that hold any instant of {@code [from, to)}, as {@code [first bucket
     * start, last bucket end)}; refused when the last one is still open in the streams app at {@code now}.
     */
    public static long[] buckets(Aggregate a, long from, long to, long now) {
        Bucketing bucketing = Bucketing.of(a);
        long first = bucketing.start(from);
        long lastStart = bucketing.start(to - 1);
        long end = bucketing.end(lastStart);
        long closesAt = end + a.graceMs();
        if (a.idColumn() != null && closesAt > now) {
            throw new CliError("aggregate " + a.name() + ": the bucket " + bucketing.label(lastStart) + " (" + a.zone().getId()
                    + ") is still open in the streams app until " + AggregateRows.time(closesAt) + " (its end plus the "
                    + a.graceMs() / 1000 + " s grace period), which would overwrite rebuilt rows with its own totals. Rebuild up to "
                    + AggregateRows.time(openFrom(a, now)) + " now, and the rest after " + AggregateRows.time(closesAt));
        }
        return new long[] {first, end};
    }

    /** The start of the first bucket of {@code a} still open at {@code now}: rebuilds may reach up to it. */
    public static long openFrom(Aggregate a, long now) {
        return Bucketing.of(a).start(now - a.graceMs()); // it ends after now - grace; the one before it at or before
    }

    /** Rebuilds {@code a}'s buckets holding {@code [from, to)}; see {@link #buckets} for what is refused. */
    public Result rebuild(Aggregate a, long from, long to, long now) throws SQLException {
        long[] range = buckets(a, from, to, now);
        List<String> key = a.idColumn() != null ? List.of() : CurrentState.key(a.table())
                .orElseThrow(() -> new IllegalStateException(a.table() + " is neither the events table nor a CDC table"));
        List<AggregateTable.Row> rows = AggregateTable.read(lake, a, LakeAggregateSql.of(a, settings.nullLabel(), key, range[0], range[1],
                LakeAggregateSql.Distinct.VALUES));
        ConnectRows connectRows = new ConnectRows(a);
        String topic = settings.topic(a);
        Map<String, Struct> onTopic = topics.latest(topic, connectRows);
        RebuildChanges changes = RebuildChanges.of(connectRows, rows, onTopic, range[0], range[1], now);
        topics.write(topic, connectRows, new ArrayList<>(changes.rows().entrySet()));
        return new Result(a.name(), range[0], range[1], rows.size(), changes.unchanged(), changes.rows().size(), changes.tombstones());
    }

    /**
     * Rebuilds the buckets of every aggregate over {@code table} that hold {@code [from, to)} and are
     * closed in the streams app (after a replay of those hours); for buckets still open it says when
     * to rebuild them, since writing them now would fight with the live app. One line per aggregate.
     */
    public List<String> refresh(String table, long from, long to, long now) throws SQLException {
        List<String> done = new ArrayList<>();
        for (Aggregate a : aggregates(settings, Optional.empty(), Optional.of(table))) {
            long closedUntil = a.idColumn() == null ? Long.MAX_VALUE : openFrom(a, now);
            long until = Math.min(to, closedUntil);
            if (from < until) {
                done.add("dashboards: rebuilt " + rebuild(a, from, until, now));
            }
            if (to > closedUntil) {
                long start = Math.max(from, closedUntil);
                long closesAt = Bucketing.of(a).end(Bucketing.of(a).start(to - 1)) + a.graceMs();
                done.add("dashboards: " + a.name() + " buckets from " + AggregateRows.time(start) + " are still open in the streams app "
                        + "(which does not see replayed rows); after " + AggregateRows.time(closesAt) + " run: tributary dashboards rebuild"
                        + " --from " + AggregateRows.time(start) + " --to " + AggregateRows.time(to) + " --aggregate " + a.name());
            }
        }
        return done;
    }
}
