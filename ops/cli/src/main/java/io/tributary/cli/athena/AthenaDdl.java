package io.tributary.cli.athena;

import io.tributary.cli.lake.CurrentView;
import io.tributary.schemas.contract.CurrentState;
import io.tributary.schemas.lake.LakePath;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * Athena DDL for a lake table, generated from its Avro schema and the sink's own path template
 * ({@link LakePath}), so the table and the objects cannot drift apart. Partition projection, not a
 * crawler: dt is a date projection with a fixed start (Trino's Hive connector, which reads the same
 * Glue tables, rejects {@code NOW-nYEARS} and the YEARS/MONTHS/WEEKS units), hour an integer
 * projection with two digits, and the location template is the sink's key layout letter for letter.
 * The start is the streams app's {@code events.min.time} (by default
 * {@link io.tributary.schemas.lake.LakeTimeRange#DEFAULT_START}), the first day it accepts
 * events of: every row the pipeline writes is in a partition the projection shows.
 */
public final class AthenaDdl {
    /** Partition keys; the sink writes them into the key, not into the files. */
    public static final Set<String> PARTITION_COLUMNS = Set.of("dt", "hour");

    private final String database;
    private final String bucket;
    private final LakePath paths;
    private final LocalDate dtRangeStart;

    public AthenaDdl(String database, String bucket, String prefix, LocalDate dtRangeStart) {
        this.database = database;
        this.bucket = bucket;
        this.paths = new LakePath(prefix);
        this.dtRangeStart = dtRangeStart;
    }

    /** The columns of a table: name and Athena type, in schema order. */
    public static List<Column> columns(Schema schema) {
        List<Column> columns = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            columns.add(new Column(f.name().toLowerCase(Locale.ROOT), AthenaTypes.of(f.schema()), f.doc()));
        }
        return columns;
    }

    /** A column: name, Athena type, and the contract's doc string as its comment (may be null). */
    public record Column(String name, String type, String comment) {
        String ddl() {
            return "`" + name + "` " + type + (comment == null ? "" : " COMMENT '" + quote(comment) + "'");
        }
    }

    private static String quote(String text) {
        return text.replace("'", "''").replace("\n", " ");
    }

    public String createTable(String table, Schema schema) {
        return create(table, schema, true, paths.projectionTemplate(bucket, table));
    }

    /**
     * The table {@code <table>_snapshot} of a CDC table with changelog schema {@code changelog}: partitioned
     * by day only ({@code dt}, the UTC day whose end state it holds), same projection otherwise.
     */
    public String createSnapshotTable(String table, Schema changelog) {
        String snapshot = CurrentState.snapshotTable(table);
        return create(snapshot, CurrentState.snapshotSchema(table, changelog), false, paths.dailyProjectionTemplate(bucket, snapshot));
    }

    /**
     * The statements of a CDC table's current-state forms, by the name they create: its snapshot
     * table, then its current view (empty for other tables).
     */
    public Map<String, String> currentState(String table, Schema changelog) {
        Map<String, String> statements = new LinkedHashMap<>();
        if (CurrentState.key(table).isPresent()) {
            statements.put(CurrentState.snapshotTable(table), createSnapshotTable(table, changelog));
            statements.put(CurrentState.currentView(table), createCurrentView(table, columns(changelog).stream().map(Column::name).toList()));
        }
        return statements;
    }

    /** The view {@code <table>_current} over a CDC table whose changelog has these columns. */
    public String createCurrentView(String table, List<String> changelogColumns) {
        List<String> key = CurrentState.key(table).orElseThrow(() -> new IllegalArgumentException(table + " is not a CDC table"));
        List<String> columns = changelogColumns.stream().filter(c -> !CurrentState.CHANGE_COLUMNS.contains(c)).toList();
        return "CREATE OR REPLACE VIEW " + CurrentView.quote(database) + "." + CurrentView.quote(CurrentState.currentView(table))
                + " AS\n"
                + CurrentView.select(CurrentView.quote(database) + "." + CurrentView.quote(table), key, columns) + ";\n";
    }

    private String create(String table, Schema schema, boolean hourly, String template) {
        String location = "s3://" + bucket + "/" + paths.tableRoot(table);
        return "CREATE EXTERNAL TABLE IF NOT EXISTS `" + database + "`.`" + table + "` (\n"
                + columns(schema).stream().map(c -> "  " + c.ddl()).collect(Collectors.joining(",\n")) + "\n)\n"
                + (schema.getDoc() == null ? "" : "COMMENT '" + quote(schema.getDoc()) + "'\n")
                + (hourly ? "PARTITIONED BY (`dt` string, `hour` string)\n" : "PARTITIONED BY (`dt` string)\n")
                + "STORED AS PARQUET\n"
                + "LOCATION '" + location + "'\n"
                + "TBLPROPERTIES (\n"
                + "  'projection.enabled' = 'true',\n"
                + "  'projection.dt.type' = 'date',\n"
                + "  'projection.dt.format' = '" + LakePath.DT_FORMAT + "',\n"
                + "  'projection.dt.range' = '" + dtRangeStart + ",NOW',\n"
                + "  'projection.dt.interval' = '1',\n"
                + "  'projection.dt.interval.unit' = 'DAYS',\n"
                + (hourly ? "  'projection.hour.type' = 'integer',\n"
                + "  'projection.hour.range' = '0,23',\n"
                + "  'projection.hour.digits' = '2',\n" : "")
                + "  'storage.location.template' = '" + template + "'\n"
                + ");\n";
    }

    /**
     * The statement a compatible change needs: the fields {@code newer} adds to {@code older}, as
     * {@code ADD COLUMNS}; null when it adds none.
     */
    public String addColumns(String table, Schema older, Schema newer) {
        Set<String> known = columns(older).stream().map(Column::name).collect(Collectors.toSet());
        List<Column> added = columns(newer).stream().filter(c -> !known.contains(c.name())).toList();
        if (added.isEmpty()) {
            return null;
        }
        return "ALTER TABLE `" + database + "`.`" + table + "` ADD COLUMNS (\n"
                + added.stream().map(c -> "  " + c.ddl()).collect(Collectors.joining(",\n")) + "\n);\n";
    }
}
