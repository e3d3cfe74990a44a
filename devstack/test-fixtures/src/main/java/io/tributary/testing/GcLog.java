package io.tributary.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a JVM GC log written with {@code -Xlog:gc:file=...:time}: the heap in use before and after
 * each collection, so a test can report a process's peak heap over a time window.
 */
public final class GcLog {
    private static final Pattern LINE = Pattern.compile("^\\[([^\\]]+)\\].*?(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private GcLog() {
    }

    /**
     * Peaks over the collections in a window, in MiB. {@code maxLiveMiB} is the largest heap left
     * after a full collection (the live set); young collections leave old garbage behind, so their
     * after-values only bound it from above.
     */
    public record HeapPeaks(int collections, long maxBeforeGcMiB, long maxAfterGcMiB, long maxLiveMiB, long maxCommittedMiB) {
        @Override
        public String toString() {
            return "peak live heap (after full GC) " + maxLiveMiB + " MiB, peak after any GC " + maxAfterGcMiB
                    + " MiB, peak used (before GC) " + maxBeforeGcMiB + " MiB, committed up to " + maxCommittedMiB
                    + " MiB, over " + collections + " collections";
        }
    }

    /** Asks a JVM for a full collection ({@code jcmd <pid> GC.run}), so that its log shows the live set. */
    public static void collect(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException("jcmd " + pid + " GC.run failed with exit code " + p.exitValue());
        }
    }

    public static HeapPeaks peaks(Path log, Instant from, Instant to) throws IOException {
        int collections = 0;
        long before = 0;
        long after = 0;
        long committed = 0;
        long live = 0;
        try (Stream<String> lines = Files.lines(log)) {
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher m = LINE.matcher(line);
                if (!m.find()) {
                    continue;
                }
                Instant at = OffsetDateTime.parse(m.group(1), TIME).toInstant();
                if (at.isBefore(from) || at.isAfter(to)) {
                    continue;
                }
                collections++;
                before = Math.max(before, Long.parseLong(m.group(2)));
                after = Math.max(after, Long.parseLong(m.group(3)));
                if (line.contains("Pause Full")) {
                    live = Math.max(live, Long.parseLong(m.group(3)));
                }
                committed = Math.max(committed, Long.parseLong(m.group(4)));
            }
        }
        return new HeapPeaks(collections, before, after, live, committed);
    }
}
