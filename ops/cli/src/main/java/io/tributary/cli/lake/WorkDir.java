package io.tributary.cli.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command that copies lake objects to disk (a local copy, compaction, replay) keeps them. */
public final class WorkDir {
    @Option(names = "--work-dir", descriptionKey = "TRIBUTARY_WORK_DIR",
            description = "Where the local copy of the lake is kept (env TRIBUTARY_WORK_DIR; default ~/.tributary).")
    Path workDir;

    /** A folder of the work dir, created when missing. */
    public Path dir(String name) throws IOException {
        Path root = workDir != null ? workDir : Path.of(System.getProperty("user.home"), ".tributary");
        return Files.createDirectories(root.resolve(name));
    }
}
