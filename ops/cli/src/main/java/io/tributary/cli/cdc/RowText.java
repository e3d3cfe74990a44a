package io.tributary.cli.cdc;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How both sides write a row as one text whose MD5 is compared: every column as canonical text (the
 * same characters in MariaDB/MySQL SQL and in DuckDB SQL over the lake's Parquet), NULL as {@code \N},
 * joined by the unit separator. The first 64 bits of the MD5 are the row's hash; a range's checksum
 * is the XOR of its rows' hashes plus its row count.
 *
 * <p>Canonical forms: integers, decimals and strings as SQL casts them to text; floating point
 * rounded to 6 decimals; dates {@code YYYY-MM-DD}; timestamps {@code YYYY-MM-DD HH:MM:SS.ffffff} in
 * UTC; times as microseconds after midnight (Debezium's MicroTime); binary as upper-case hex; BIT(1)
 * and booleans as 0/1. Other types compare by their text cast, which may report a difference where
 * Debezium's conversion changes the text.
 */
final class RowText {
    private RowText() {
    }

    /** The source database's side (MariaDB and MySQL share these functions). */
    static String database(ComparedColumn c) {
        String col = "`" + c.name().replace("`", "``") + "`";
        String expr = switch (c.dbType().toLowerCase(Locale.ROOT)) {
            case "float", "double", "real" -> "CAST(CAST(ROUND(" + col + ", 6) AS DECIMAL(65,6)) AS CHAR)";
            case "date" -> "DATE_FORMAT(" + col + ", '%Y-%m-%d')";
            case "datetime", "timestamp" -> "DATE_FORMAT(" + col + ", '%Y-%m-%d %H:%i:%s.%f')";
            case "time" -> "CAST(TIME_TO_SEC(" + col + ") * 1000000 + MICROSECOND(" + col + ") AS CHAR)";
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> "HEX(" + col + ")";
            case "bit" -> "CAST(CAST(" + col + " AS UNSIGNED) AS CHAR)";
            default -> "CAST(" + col + " AS CHAR)";
        };
        return "COALESCE(" + expr + ", '\\\\N')";
    }

    /** The lake's side, in DuckDB over the Parquet files. */
    static String lake(ComparedColumn c) {
        String col = "\"" + c.lakeName().replace("\"", "\"\"") + "\"";
        String type = c.lakeType().toUpperCase(Locale.ROOT);
        String expr;
        if (type.equals("FLOAT") || type.equals("DOUBLE")) {
            expr = "CAST(CAST(round(" + col + ", 6) AS DECIMAL(38,6)) AS VARCHAR)";
        } else if (type.equals("DATE")) {
            expr = "strftime(" + col + ", '%Y-%m-%d')";
        } else if (type.startsWith("TIMESTAMP")) {
            expr = "strftime(CAST(" + col + " AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f')";
        } else if (type.equals("BLOB")) {
            expr = "hex(" + col + ")";
        } else if (type.equals("BOOLEAN")) {
            expr = "CASE WHEN " + col + " THEN '1' ELSE '0' END";
        } else {
            expr = "CAST(" + col + " AS VARCHAR)";
        }
        return "coalesce(" + expr + ", '\\N')";
    }

    /** The 64-bit hash of a row in MariaDB/MySQL, as an unsigned integer. */
    static String databaseHash(List<ComparedColumn> columns) {
        return "CAST(CONV(LEFT(MD5(CONCAT_WS(CHAR(31), " + columns.stream().map(RowText::database)
                .collect(Collectors.joining(", ")) + ")), 16), 16, 10) AS UNSIGNED)";
    }

    /** The same hash in DuckDB. */
    static String lakeHash(List<ComparedColumn> columns) {
        return "('0x' || left(md5(concat_ws(chr(31), " + columns.stream().map(RowText::lake)
                .collect(Collectors.joining(", ")) + ")), 16))::UBIGINT";
    }

    /** A row's key as text ({@code |} between columns), in MariaDB/MySQL. */
    static String databaseKey(List<ComparedColumn> key) {
        return key.size() == 1 ? "CAST(`" + key.get(0).name() + "` AS CHAR)"
                : "CONCAT_WS('|', " + key.stream().map(RowText::database).collect(Collectors.joining(", ")) + ")";
    }

    /** The same key text in DuckDB. */
    static String lakeKey(List<ComparedColumn> key) {
        return key.size() == 1 ? "CAST(\"" + key.get(0).lakeName() + "\" AS VARCHAR)"
                : "concat_ws('|', " + key.stream().map(RowText::lake).collect(Collectors.joining(", ")) + ")";
    }
}
