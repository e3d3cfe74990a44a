package io.tributary.dist;

import java.nio.file.Path;
import java.util.List;

/** The things Tributary ships, where their modules' builds put them, and the repository they come from. */
enum Distributions {
    STREAMS_APP("streams-app", "target/dist/tributary-streams-app", "tributary-streams-app-%s.tar.gz"),
    CLI("ops/cli", "target/dist/tributary-cli", "tributary-cli-%s.tar.gz"),
    DASHBOARD("ops/dashboard", "target/dist/tributary-dashboard", "tributary-dashboard-%s.tar.gz"),
    CONNECT_PLUGIN("connectors/s3-sink", "target/plugin/tributary-s3-sink", "tributary-tributary-s3-sink-%s.zip");

    static final Path REPO = Path.of(System.getProperty("tributary.home", "../..")).toAbsolutePath().normalize();

    private final String module;
    private final String dir;
    private final String archive;

    Distributions(String module, String dir, String archive) {
        this.module = module;
        this.dir = dir;
        this.archive = archive;
    }

    /** The unpacked distribution the module's build leaves in its target/. */
    Path dir() {
        return REPO.resolve(module).resolve(dir);
    }

    /** The archive to ship. */
    Path archive() {
        return REPO.resolve(module).resolve("target").resolve(archive.formatted(System.getProperty("tributary.version")));
    }

    /** The module's runtime dependencies as its build listed them (group:artifact:type:version:scope lines). */
    Path dependencyList() {
        return REPO.resolve(module).resolve("target/runtime-dependencies.txt");
    }

    static List<Distributions> all() {
        return List.of(values());
    }
}
