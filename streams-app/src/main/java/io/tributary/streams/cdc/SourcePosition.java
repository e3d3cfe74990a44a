package io.tributary.streams.cdc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a change sits in the source database's binlog: binlog file index, event position in the file,
 * and row number within a multi-row event. It orders every change of one binlog history totally,
 * also changes committed in the same second (MariaDB's {@code source.ts_ms} has whole seconds).
 * Debezium's MySQL and MariaDB connectors put {@code file}, {@code pos} and {@code row} in every
 * event's {@code source}; snapshot reads carry the binlog position the snapshot started at.
 *
 * <p>The lake column {@code _source_pos} is its {@link #toString()}, zero-padded so that comparing the
 * strings (Athena's {@code ORDER BY _source_pos}, the de-duplication's stored positions) is comparing
 * binlog positions.
 */
public record SourcePosition(long file, long pos, long row) {

    /** The position in a Debezium {@code source} block, or null when it has none (not a binlog connector). */
    public static SourcePosition of(JsonNode source) {
        if (!source.path("pos").canConvertToLong()) {
            return null;
        }
        return of(source.path("file").asText(""), source.get("pos").asLong(), source.path("row").asLong(0));
    }

    /** The position of a row in a binlog file ({@code mariadb-bin.000004}); null when the name has no numeric index. */
    public static SourcePosition of(String binlogFile, long pos, long row) {
        int dot = binlogFile.lastIndexOf('.');
        try {
            return dot < 0 ? null : new SourcePosition(Long.parseLong(binlogFile.substring(dot + 1)), pos, row);
        } catch (NumberFormatException e) {
            return null; // no order can be derived
        }
    }

    /** The sortable text form, e.g. {@code 0000000004-00000000000000001244-0000000000}. */
    @Override
    public String toString() {
        return String.format("%010d-%020d-%010d", file, pos, row);
    }

    /**
     * The lake's {@code _source_pos}: this position and the change's sequence number among its row's
     * changes at this position ({@link AppliedPositions}), e.g. {@code 0000000004-00000000000000001244-0000000000-00000}.
     */
    public String sortable(int sequence) {
        return this + String.format("-%05d", sequence);
    }
}
