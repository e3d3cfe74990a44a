package io.tributary.ops.athena;

import picocli.CommandLine.Option;

/** Where the lake is: its bucket and the key prefix above the table folders (the sink's topics.dir). */
public final class LakeLocation {
    @Option(names = "--bucket", defaultValue = "${env:TRIBUTARY_LAKE_BUCKET:-tributary-lake}",
            description = "Lake bucket (env TRIBUTARY_LAKE_BUCKET; default ${DEFAULT-VALUE}).")
    String bucket;

    @Option(names = "--prefix", defaultValue = "lake", description = "The sink's topics.dir (default ${DEFAULT-VALUE}).")
    String prefix;

    public String bucket() {
        return bucket;
    }

    public String prefix() {
        return prefix;
    }
}
