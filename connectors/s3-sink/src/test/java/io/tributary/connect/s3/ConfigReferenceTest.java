package io.tributary.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.testing.ConfigReference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
    private static final Path DOC = Path.of(System.getProperty("tributary.home", "../.."), "connectors", "docs", "s3-sink-config.md");

    /** Regenerate with: mvn -pl connectors/s3-sink -am test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dtributary.docs.update=true */
    @Test
    void committedReferenceMatchesTheConfigDef() throws Exception {
        String generated = ConfigReference.markdown("S3 Parquet sink configuration", S3SinkConfig.CONFIG_DEF);
        if (Boolean.getBoolean("tributary.docs.update")) {
            Files.writeString(DOC, generated);
        }
        assertThat(Files.readString(DOC))
                .as("docs/s3-sink-config.md is stale; regenerate it with "
                        + "mvn -pl connectors/s3-sink -am test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dtributary.docs.update=true")
                .isEqualTo(generated);
    }

    @Test
    void everyKeyHasADocStringAndAGroup() {
        S3SinkConfig.CONFIG_DEF.configKeys().values().forEach(k -> {
            assertThat(k.documentation).as(k.name).isNotBlank();
            assertThat(k.group).as(k.name).isNotBlank();
        });
    }
}
