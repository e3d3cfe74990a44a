package io.tributary.streams.dashboards;

import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.dashboards.AggregateRows;
import io.tributary.streams.config.Aggregate;
import io.tributary.streams.config.DashboardSettings;
import io.tributary.streams.config.LakeTopics;
import io.tributary.streams.config.Measure;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * Checks the declared aggregates against the lake contracts and fills in the defaults that depend on
 * the table's kind, so that a wrong aggregate fails at start, naming its key, before anything runs.
 * Event tables aggregate every event once (by its id, within the grace period); CDC tables aggregate
 * their current rows, which only count and sum can follow (an update or delete takes the old row back).
 */
public final class AggregateChecks {
    /** PostgreSQL truncates longer identifiers silently; two tables could then collide. */
    private static final int MAX_TABLE_NAME = 63;
    private static final String DEFAULT_ID_COLUMN = "event_id";

    private AggregateChecks() {
    }

    /** The settings with every aggregate checked and completed; throws a {@link ConfigException} naming the key. */
    public static DashboardSettings resolve(DashboardSettings settings, LakeTopics topics) {
        List<Aggregate> resolved = new ArrayList<>();
        for (Aggregate a : settings.aggregates()) {
            String table = AggregateRows.tableName(settings.topic(a));
            if (table.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TABLE_NAME) {
                throw new ConfigException(DashboardSettings.AGGREGATES, a.name(), "its table name " + table + " is longer than "
                        + "PostgreSQL's " + MAX_TABLE_NAME + " bytes; choose a shorter name");
            }
            boolean events = a.table().equals(topics.eventsTable());
            if (!events && !topics.cdcTopicsByTable().containsKey(a.table())) {
                throw new ConfigException(a.key("table"), a.table(), "not the events table (" + topics.eventsTable()
                        + ") and no topic of it in cdc.topics");
            }
            Schema contract = Contracts.schema(a.table());
            resolved.add(events ? events(a, contract) : currentState(a, contract));
        }
        return new DashboardSettings(resolved, settings.displayZone(), settings.topicPrefix(), settings.commitIntervalMs(),
                settings.emitIntervalMs(), settings.nullLabel(), settings.retentionMs());
    }

    private static Aggregate events(Aggregate a, Schema contract) {
        String idColumn = a.idColumn() == null ? DEFAULT_ID_COLUMN : a.idColumn();
        requireColumn(a, "id.column", idColumn, contract);
        checkCommon(a, contract);
        return new Aggregate(a.name(), a.table(), a.bucket(), a.zone(), a.timeColumn(), idColumn, a.groupBy(), a.measures(),
                a.graceMs() < 0 ? DashboardSettings.DEFAULT_GRACE_MS : a.graceMs());
    }

    private static Aggregate currentState(Aggregate a, Schema contract) {
        if (a.timeColumn() == null) {
            throw new ConfigException(a.key("time.column"), null, "required for CDC table " + a.table()
                    + ": the column whose time places a row in a bucket, e.g. created_at");
        }
        for (String eventsOnly : List.of("grace.ms", "id.column")) {
            if (eventsOnly.equals("grace.ms") ? a.graceMs() >= 0 : a.idColumn() != null) {
                throw new ConfigException(a.key(eventsOnly), "set", "only for the events table: a CDC aggregate follows "
                        + "the table's current rows, whatever their age");
            }
        }
        for (Measure m : a.measures()) {
            if (!m.kind().subtractable()) {
                throw new ConfigException(a.key("measures"), m.name(), "CDC table " + a.table() + " aggregates its current rows, "
                        + "and an update or delete must take a row back out: only count and sum can");
            }
        }
        checkCommon(a, contract);
        return a;
    }

    private static void checkCommon(Aggregate a, Schema contract) {
        if (a.timeColumn() != null) {
            Schema time = requireColumn(a, "time.column", a.timeColumn(), contract);
            if (!(time.getLogicalType() instanceof LogicalTypes.TimestampMillis)) {
                throw new ConfigException(a.key("time.column"), a.timeColumn(), "not a timestamp-millis column of " + a.table());
            }
        }
        Set<String> columns = new HashSet<>(AggregateRows.ROW_COLUMNS);
        for (String group : a.groupBy()) {
            Schema type = requireColumn(a, "group.by", group, contract);
            if (!scalar(type)) {
                throw new ConfigException(a.key("group.by"), group, "a " + type.getType().getName() + " column cannot group rows");
            }
            if (!columns.add(group)) {
                throw new ConfigException(a.key("group.by"), group, "named twice, or one of the row's own columns " + AggregateRows.ROW_COLUMNS);
            }
        }
        for (Measure m : a.measures()) {
            if (m.column() != null) {
                Schema type = requireColumn(a, "measures", m.column(), contract);
                if (m.kind().numericInput() && LakeValues.numericKind(type) == null) {
                    throw new ConfigException(a.key("measures"), m.column(), m.kind().name().toLowerCase(java.util.Locale.ROOT)
                            + " needs a numeric column; " + m.column() + " is " + type.getType().getName());
                }
                if (!scalar(type)) {
                    throw new ConfigException(a.key("measures"), m.column(), "a " + type.getType().getName() + " column has no value to count");
                }
            }
            if (!columns.add(m.name())) {
                throw new ConfigException(a.key("measures"), m.name(), "the output name is also a group column or one of " + AggregateRows.ROW_COLUMNS);
            }
        }
    }

    private static Schema requireColumn(Aggregate a, String setting, String column, Schema contract) {
        Schema.Field field = contract.getField(column);
        if (field == null) {
            throw new ConfigException(a.key(setting), column, "not a column of the " + a.table() + " contract");
        }
        return LakeValues.nonNull(field.schema());
    }

    private static boolean scalar(Schema type) {
        return switch (type.getType()) {
            case STRING, ENUM, INT, LONG, FLOAT, DOUBLE, BOOLEAN -> true;
            case BYTES, FIXED -> LakeValues.numericKind(type) != null;
            default -> false;
        };
    }
}
