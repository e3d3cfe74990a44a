package io.tributary.cli.cdc;

import io.tributary.cli.common.CliError;
import io.tributary.cli.connectors.ConnectorFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tables a Debezium connector config captures and its signal table, as {@code cdc verify} needs
 * them: from {@code table.include.list} (Debezium's regular expressions, here plain names with
 * escaped dots) less the signal table.
 */
record CapturedTables(List<String> tables, String signalTable, String topicPrefix) {

    static CapturedTables of(List<ConnectorFile> files) {
        ConnectorFile debezium = files.stream().filter(ConnectorFile::isDebeziumSource)
                .findFirst().orElseThrow(() -> new CliError("No Debezium connector config among " + files.stream()
                        .map(f -> f.path().getFileName().toString()).toList()));
        Map<String, String> c = debezium.config();
        String signal = c.getOrDefault("signal.data.collection", "");
        List<String> tables = new ArrayList<>();
        for (String entry : c.getOrDefault("table.include.list", "").split(",")) {
            String table = entry.trim().replace("\\.", ".");
            if (!table.isEmpty() && !table.equals(signal)) {
                if (!table.matches("[A-Za-z0-9_$]+\\.[A-Za-z0-9_$]+")) {
                    throw new CliError(debezium.path() + ": table.include.list entry '" + entry + "' is a pattern; "
                            + "name the tables to verify with --table database.table");
                }
                tables.add(table);
            }
        }
        return new CapturedTables(tables, signal, c.getOrDefault("topic.prefix", ""));
    }

    /** The lake table of a captured table: its name, as the streams app derives it from the topic. */
    static String lakeTable(String dataCollection) {
        return dataCollection.substring(dataCollection.lastIndexOf('.') + 1);
    }
}
