package io.tributary.lake.parquet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Makes a Parquet file's footer a function of its content alone. parquet-java 1.16.0 writes the same
 * rows with the same settings to the same bytes, except the list of encodings in each column chunk's
 * metadata, which it collects in a {@code HashSet} of enums whose iteration order follows identity
 * hash codes and so differs between JVM processes (apache/parquet-java#3215). Sorting that list (and
 * the encoding statistics) by the encodings' numbers and writing the footer back in place, at the
 * same length since the elements are the same, makes files byte-identical across processes: what
 * lets a replay run again, on another host, produce the very objects it produced before. Once
 * parquet-java sorts them itself this changes nothing.
 */
public final class CanonicalFooter {
    private static final byte[] MAGIC = {'P', 'A', 'R', '1'};

    private CanonicalFooter() {
    }

    /** Rewrites the footer of a finished Parquet file in place with its lists in canonical order. */
    public static void rewrite(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long size = f.length();
            byte[] tail = new byte[8];
            f.seek(size - 8);
            f.readFully(tail);
            for (int i = 0; i < 4; i++) {
                if (tail[4 + i] != MAGIC[i]) {
                    throw new IOException(file + " is not a Parquet file (no PAR1 at its end)");
                }
            }
            int length = (tail[0] & 0xff) | (tail[1] & 0xff) << 8 | (tail[2] & 0xff) << 16 | (tail[3] & 0xff) << 24;
            byte[] footer = new byte[length];
            long start = size - 8 - length;
            f.seek(start);
            f.readFully(footer);
            byte[] canonical = canonical(footer);
            if (canonical.length != length) {
                throw new IOException("the canonical footer of " + file + " is " + canonical.length + " bytes, not " + length);
            }
            f.seek(start);
            f.write(canonical);
        }
    }

    static byte[] canonical(byte[] footer) throws IOException {
        FileMetaData metadata = Util.readFileMetaData(new ByteArrayInputStream(footer));
        for (RowGroup group : metadata.getRow_groups()) {
            for (ColumnChunk chunk : group.getColumns()) {
                ColumnMetaData column = chunk.getMeta_data();
                List<Encoding> encodings = new ArrayList<>(column.getEncodings());
                encodings.sort(Comparator.comparingInt(Encoding::getValue));
                column.setEncodings(encodings);
                if (column.isSetEncoding_stats()) {
                    List<PageEncodingStats> stats = new ArrayList<>(column.getEncoding_stats());
                    stats.sort(Comparator.comparingInt((PageEncodingStats s) -> s.getPage_type().getValue())
                            .thenComparingInt(s -> s.getEncoding().getValue()));
                    column.setEncoding_stats(stats);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(footer.length);
        Util.writeFileMetaData(metadata, out);
        return out.toByteArray();
    }
}
