package io.tributary.lake.parquet;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * A local Parquet file written deterministically and named by its content: the same rows in the same
 * order with the same schema give the same bytes, in any process ({@link CanonicalFooter}), and the
 * name is {@code <kind>-<first 128 bits of the SHA-256 of the bytes>.parquet}. Objects named so are
 * immutable ("already there" means "identical"), so work that is done again (a replay run a second
 * time, or after a crash) produces keys that are already in place and changes nothing.
 *
 * <p>The settings are fixed here, not configurable, because they reach the bytes: snappy (the lake
 * sink's default codec), row groups of {@value #ROW_GROUP_BYTES} bytes and pages of
 * {@value #PAGE_BYTES}. Bytes also depend on the parquet-java and snappy-java versions: an upgrade
 * renames what is written after it, which is harmless.
 */
public final class ContentNamedFile implements Closeable {
    public static final int ROW_GROUP_BYTES = 64 * 1024 * 1024;
    public static final int PAGE_BYTES = 1024 * 1024;
    static final String CODEC = "snappy";

    /** A finished file: where it is, its content name, rows, size and SHA-256 (hex). */
    public record Written(Path file, String name, long rows, long bytes, String sha256) {
    }

    private final Path file;
    private final ParquetFileWriter writer;
    private boolean closed;

    /** Opens a file for rows of {@code schema} in {@code dir}, under a temporary name until {@link #finish}. */
    public ContentNamedFile(Path dir, Schema schema) throws IOException {
        Files.createDirectories(dir);
        this.file = Files.createTempFile(dir, "writing-", ".parquet");
        this.writer = new ParquetFileWriter(file, schema, CODEC, ROW_GROUP_BYTES, PAGE_BYTES);
    }

    public void write(GenericRecord row) throws IOException {
        writer.write(row);
    }

    public long rows() {
        return writer.records();
    }

    /** Bytes so far, including the row group still buffered: where a writer of several files starts the next. */
    public long estimatedBytes() {
        return writer.estimatedBytes();
    }

    /** Closes the file, makes its footer canonical and renames it {@code <kind>-<hash>.parquet} beside where it was written. */
    public Written finish(String kind) throws IOException {
        close();
        CanonicalFooter.rewrite(file);
        String sha256 = sha256(file);
        String name = kind + "-" + sha256.substring(0, 32) + ".parquet";
        Path named = Files.move(file, file.resolveSibling(name), StandardCopyOption.REPLACE_EXISTING);
        return new Written(named, name, writer.records(), Files.size(named), sha256);
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            writer.close();
        }
    }

    /** The SHA-256 of a file's bytes, in hex. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
