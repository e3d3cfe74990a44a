package io.tributary.lake.marker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.lake.marker.PartitionMarker.FileEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionMarkerTest {
    private static final Owner OWNER = new Owner("lake sink", "7ZrRzbxgQ9K-JbKQ5R3r1w");
    private static final FileEntry FILE = new FileEntry("lake/t/dt=2026-11-22/hour=03/t+0+5+9.parquet", "2026-11-22", "03", 5, 9);

    @Test
    void aMarkerNamesItsOwnerGenerationAndWriterAndReadsBackEqual() throws IOException {
        PartitionMarker marker = PartitionMarker.of(OWNER, 4, "writer-1", 5, List.of(FILE));
        String json = new String(marker.toJson(), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"format\":2,\"connector\":\"lake sink\",\"topicId\":\"7ZrRzbxgQ9K-JbKQ5R3r1w\","
                + "\"generation\":4,\"writer\":\"writer-1\",\"safeOffset\":5,\"files\":[{\"key\":\"" + FILE.key()
                + "\",\"dt\":\"2026-11-22\",\"hour\":\"03\",\"start\":5,\"end\":9}]}");
        PartitionMarker read = PartitionMarker.fromJson(marker.toJson());
        assertThat(read).isEqualTo(marker);
        assertThat(read.writtenBy(OWNER, "writer-1")).isTrue();
        assertThat(read.writtenBy(OWNER, "writer-2")).isFalse();
        assertThat(read.writtenBy(new Owner("lake sink", "Xq0o3SydTuyKf3bPLyUq0A"), "writer-1")).isFalse();
    }

    @Test
    void aMarkerFromBeforeFencingReadsAsLegacyWithoutOwner() throws IOException {
        PartitionMarker legacy = PartitionMarker.fromJson(("{\"safeOffset\":5,\"files\":[{\"key\":\"" + FILE.key()
                + "\",\"dt\":\"2026-11-22\",\"hour\":\"03\",\"start\":5,\"end\":9}]}").getBytes(StandardCharsets.UTF_8));
        assertThat(legacy.legacy()).isTrue();
        assertThat(legacy.owner()).isEmpty();
        assertThat(legacy.generation()).isZero();
        assertThat(legacy.files()).containsExactly(FILE);
    }

    @Test
    void aMarkerOfANewerFormatOrNoMarkerAtAllIsRefusedNamingTheProblem() {
        assertThatThrownBy(() -> PartitionMarker.fromJson(
                "{\"format\":3,\"connector\":\"c\",\"topicId\":\"t\",\"generation\":1,\"writer\":\"w\",\"safeOffset\":0,\"files\":[]}"
                        .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("newer version of the sink (marker format 3)");
        assertThatThrownBy(() -> PartitionMarker.fromJson("{\"format\":2,\"safeOffset\":0,\"files\":[]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a Tributary partition marker");
    }

    @Test
    void theOwnerIsAnAsciiMetadataValueAndItsSuffixIsStable() {
        assertThat(OWNER.metadataValue()).isEqualTo("lake+sink/7ZrRzbxgQ9K-JbKQ5R3r1w");
        assertThat(OWNER.owns(Map.of(Owner.METADATA_KEY, "lake+sink/7ZrRzbxgQ9K-JbKQ5R3r1w"))).isTrue();
        assertThat(OWNER.owns(Map.of())).isFalse();
        assertThat(OWNER.keySuffix()).matches("[0-9a-f]{8}").isEqualTo(new Owner("lake sink", OWNER.topicId()).keySuffix())
                .isNotEqualTo(new Owner("lake sink", "Xq0o3SydTuyKf3bPLyUq0A").keySuffix());
    }
}
