package io.tributary.cli.lake;

import io.tributary.cli.common.SettingDefaults;
import io.tributary.schemas.lake.LakeNames;
import picocli.CommandLine.Option;

/** Where the lake is: its bucket and the key prefix above the table folders (the sink's topics.dir). */
public final class LakeLocation {
    @Option(names = "--bucket", descriptionKey = "TRIBUTARY_LAKE_BUCKET",
            description = "Lake bucket (env TRIBUTARY_LAKE_BUCKET; ./tributary: the local stack's).")
    String bucket;

    @Option(names = "--prefix", defaultValue = LakeNames.DEFAULT_TOPICS_DIR,
            description = "The sink's topics.dir (default ${DEFAULT-VALUE}).")
    String prefix;

    public String bucket() {
        return SettingDefaults.require(bucket, "--bucket", "TRIBUTARY_LAKE_BUCKET");
    }

    public String prefix() {
        return prefix;
    }
}
