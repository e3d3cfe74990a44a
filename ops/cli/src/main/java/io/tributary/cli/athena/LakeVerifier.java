package io.tributary.cli.athena;

import io.tributary.lake.parquet.AvroFooter;
import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * The safety net for partition projection, which fails silently (zero rows) when the template or a
 * type is wrong: checks a table definition against what the sink actually wrote. Every object key
 * must match the location template (and fall in the dt range), and every Parquet footer's columns
 * must have the declared Athena types; timestamps must be INT64 millis or micros, never INT96 or
 * nanos. Works on a local copy of the bucket (keys = relative paths).
 */
public final class LakeVerifier {
    private LakeVerifier() {
    }

    /** Checks one table; returns the problems, each naming the table, the file or column, and what is wrong. */
    public static List<String> verify(TableDefinition table, String bucket, Path mirror) throws IOException {
        List<String> problems = new ArrayList<>();
        String prefix = "s3://" + bucket + "/";
        if (!table.locationTemplate().startsWith(prefix) || !table.locationTemplate().endsWith("/")) {
            problems.add(table.table() + ": storage.location.template " + table.locationTemplate()
                    + " is not a folder in s3://" + bucket + "/");
            return problems;
        }
        String template = table.locationTemplate().substring(prefix.length());
        Pattern keys = Pattern.compile(Pattern.quote(template)
                .replace("${dt}", "\\E(?<dt>[^/]+)\\Q").replace("${hour}", "\\E(?<hour>[^/]+)\\Q") + "[^/]+\\.parquet");
        String root = template.substring(0, template.indexOf("${"));
        boolean hourly = template.contains("${hour}"); // else partitioned by day only, like the snapshot tables
        List<Path> files = parquetFiles(mirror, root);
        if (files.isEmpty()) {
            problems.add(table.table() + ": no Parquet objects under s3://" + bucket + "/" + root
                    + " (nothing written yet, or the template's folder is wrong: projection would find nothing)");
            return problems;
        }
        for (Path file : files) {
            String key = mirror.relativize(file).toString().replace('\\', '/');
            Matcher m = keys.matcher(key);
            if (!m.matches()) {
                problems.add(table.table() + ": object " + key + " does not match storage.location.template "
                        + table.locationTemplate() + "; Athena would not read it");
            } else {
                checkPartitionValues(table, key, m.group("dt"), hourly ? m.group("hour") : null, problems);
            }
            checkFooter(table, file, key, problems);
        }
        return problems;
    }

    /** The files below the template's fixed part (the table's LOCATION). */
    private static List<Path> parquetFiles(Path mirror, String root) throws IOException {
        Path dir = mirror.resolve(root.substring(0, root.lastIndexOf('/') + 1));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(LakePath.EXTENSION)).sorted().toList();
        }
    }

    /**
     * A partition outside the table's dt range exists but no query returns it: the projection never
     * generates it. {@code hour} is null for tables partitioned by day only.
     */
    private static void checkPartitionValues(TableDefinition definition, String key, String dt, String hour, List<String> problems) {
        String table = definition.table();
        try {
            LocalDate day = LocalDate.parse(dt);
            LocalDate last = definition.dtLast() != null ? definition.dtLast() : LocalDate.now(ZoneOffset.UTC);
            if (day.isBefore(definition.dtFirst()) || day.isAfter(last)) {
                problems.add(table + ": " + key + " has dt=" + dt + " outside projection.dt.range " + definition.dtFirst() + ","
                        + (definition.dtLast() != null ? definition.dtLast() : "NOW") + ": Athena never reads it");
            }
        } catch (java.time.format.DateTimeParseException e) {
            problems.add(table + ": " + key + " has dt=" + dt + ", not yyyy-MM-dd");
        }
        if (hour != null && (!hour.matches("\\d{2}") || Integer.parseInt(hour) > 23)) {
            problems.add(table + ": " + key + " has hour=" + hour + ", not two digits 00-23 (projection.hour.digits=2)");
        }
    }

    /** Compares the footer's columns with the declared ones. */
    private static void checkFooter(TableDefinition table, Path file, String key, List<String> problems) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            MessageType parquet = reader.getFooter().getFileMetaData().getSchema();
            String avro = AvroFooter.schemaText(reader);
            Map<String, String> written = new java.util.LinkedHashMap<>();
            if (avro != null) {
                AthenaDdl.columns(new Schema.Parser().parse(avro)).forEach(c -> written.put(c.name(), c.type()));
            }
            for (Map.Entry<String, String> declared : table.columns().entrySet()) {
                String actual = written.get(declared.getKey());
                if (actual != null && !actual.equalsIgnoreCase(declared.getValue())) {
                    problems.add(table.table() + ": column " + declared.getKey() + " is declared " + declared.getValue()
                            + " but " + key + " holds " + actual);
                }
            }
            for (String column : written.keySet()) {
                if (!table.columns().containsKey(column)) {
                    problems.add(table.table() + ": " + key + " has column " + column
                            + " that the table does not declare (ALTER TABLE ... ADD COLUMNS)");
                }
            }
            for (Type field : parquet.getFields()) {
                if (field.isPrimitive()) {
                    checkTimestamp(table.table(), key, field.asPrimitiveType(), problems);
                }
            }
        }
    }

    private static void checkTimestamp(String table, String key, PrimitiveType field, List<String> problems) {
        if (field.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
            problems.add(table + ": " + key + " stores " + field.getName() + " as INT96 (deprecated); the sink writes INT64");
        }
        if (field.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
                && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.NANOS) {
            problems.add(table + ": " + key + " stores " + field.getName() + " in nanoseconds, which Athena cannot read");
        }
    }
}
