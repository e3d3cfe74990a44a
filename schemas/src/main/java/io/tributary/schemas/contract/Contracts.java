package io.tributary.schemas.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/** The Avro contracts of the lake tables, as shipped in this jar under {@code avro/}. */
public final class Contracts {
    public static final String APP_EVENTS = "app_events";
    public static final String TRANSACTIONS = "transactions";
    public static final String MASTERS = "masters";
    public static final String DEAD_LETTERS = "dead_letters";
    public static final String ATHENA_QUERIES = "athena_queries";
    public static final String LAKE_PARTITIONS = "lake_partitions";
    /**
     * Not a lake table: the rows of the raw archive (source records as they were on their topics),
     * which the raw archive connector writes under {@code _raw/}, outside every table's LOCATION.
     */
    public static final String RAW_RECORDS = "raw_records";
    /** The tables the pipeline fills: each from its lake topic, through the S3 sink. */
    public static final List<String> PIPELINE_TABLES = List.of(APP_EVENTS, TRANSACTIONS, MASTERS, DEAD_LETTERS);
    /**
     * Every lake table: the pipeline's, athena_queries, which `tributary athena usage --write-lake` writes,
     * and lake_partitions, the complete hours `tributary compact` declares.
     */
    public static final List<String> TABLES = List.of(APP_EVENTS, TRANSACTIONS, MASTERS, DEAD_LETTERS, ATHENA_QUERIES, LAKE_PARTITIONS);

    /**
     * The column holding each pipeline table's record time, the time the sink files a row's hour by
     * (the streams app stamps it on the lake record): event time, or the source's commit time for CDC
     * tables. dead_letters rows are filed by when they failed, which no column holds.
     */
    private static final Map<String, String> TIME_COLUMNS = Map.of(APP_EVENTS, "event_time", TRANSACTIONS, "_source_ts",
            MASTERS, "_source_ts");

    private Contracts() {
    }

    /** The column that holds the time a table's rows are filed by; empty when no column holds it. */
    public static Optional<String> timeColumn(String table) {
        return Optional.ofNullable(TIME_COLUMNS.get(table));
    }

    /** The current contract of a lake table. */
    public static Schema schema(String table) {
        try (InputStream in = Contracts.class.getResourceAsStream("/avro/" + table + ".avsc")) {
            if (in == null) {
                throw new IllegalArgumentException("No contract for lake table '" + table + "'; known: " + TABLES);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
