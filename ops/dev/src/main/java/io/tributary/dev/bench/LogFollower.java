package io.tributary.dev.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The lines a child process has appended to its log file since the last call, whole lines only. */
final class LogFollower {
    private final Path file;
    private long position;

    LogFollower(Path file) {
        this.file = file;
    }

    List<String> newLines() {
        List<String> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= position) {
                return lines;
            }
            byte[] bytes = new byte[(int) (length - position)];
            in.seek(position);
            in.readFully(bytes);
            int lastNewline = -1;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    lines.add(new String(bytes, lastNewline + 1, i - lastNewline - 1, StandardCharsets.UTF_8));
                    lastNewline = i;
                }
            }
            position += lastNewline + 1;
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
