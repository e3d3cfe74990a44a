package io.tributary.cli.athena;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a CREATE EXTERNAL TABLE statement (as {@link AthenaDdl} writes it, or as someone edited it)
 * declares: table name, columns with their types, the partition projection's location template,
 * and the first and last day of its dt range ({@code projection.dt.range}; the last is null for
 * {@code NOW}, i.e. today when a query runs).
 */
public record TableDefinition(String table, Map<String, String> columns, String locationTemplate, LocalDate dtFirst,
        LocalDate dtLast) {
    private static final Pattern NAME = Pattern.compile("CREATE EXTERNAL TABLE (?:IF NOT EXISTS )?(?:`[^`]+`\\.)?`([^`]+)`");
    private static final Pattern COLUMN = Pattern.compile("^\\s*`([^`]+)`\\s+(.+?)(?:\\s+COMMENT\\s+'.*')?,?\\s*$");
    private static final Pattern TEMPLATE = Pattern.compile("'storage\\.location\\.template'\\s*=\\s*'([^']+)'");
    private static final Pattern DT_RANGE = Pattern.compile("'projection\\.dt\\.range'\\s*=\\s*'(\\d{4}-\\d{2}-\\d{2}),"
            + "(NOW|\\d{4}-\\d{2}-\\d{2})'");

    public static TableDefinition parse(String ddl) {
        Matcher name = NAME.matcher(ddl);
        Matcher template = TEMPLATE.matcher(ddl);
        Matcher range = DT_RANGE.matcher(ddl);
        if (!name.find() || !template.find()) {
            throw new IllegalArgumentException("Not a CREATE EXTERNAL TABLE with a storage.location.template: "
                    + ddl.lines().findFirst().orElse(""));
        }
        if (!range.find()) {
            throw new IllegalArgumentException("No 'projection.dt.range' = 'yyyy-MM-dd,NOW' (or ',yyyy-MM-dd') in the table "
                    + name.group(1));
        }
        int open = ddl.indexOf("(\n", name.end());
        int close = ddl.indexOf("\n)", open);
        Map<String, String> columns = new LinkedHashMap<>();
        for (String line : ddl.substring(open + 2, close).split("\n")) {
            Matcher c = COLUMN.matcher(line);
            if (c.matches()) {
                columns.put(c.group(1), c.group(2).trim());
            }
        }
        return new TableDefinition(name.group(1), columns, template.group(1), LocalDate.parse(range.group(1)),
                range.group(2).equals("NOW") ? null : LocalDate.parse(range.group(2)));
    }

    /** The statements of a file with several tables, split at each CREATE. */
    public static List<TableDefinition> parseAll(String sql) {
        List<TableDefinition> tables = new ArrayList<>();
        for (String part : sql.split("(?=CREATE EXTERNAL TABLE)")) {
            if (part.contains("CREATE EXTERNAL TABLE")) {
                tables.add(parse(part));
            }
        }
        return tables;
    }
}
