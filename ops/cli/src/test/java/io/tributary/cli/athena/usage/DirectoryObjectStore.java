package io.tributary.cli.athena.usage;

import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.store.WriteCondition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * Objects as files under a folder, key = relative path: the local copy of a bucket that DuckDB and
 * the verifier read. The athena_queries writer writes unconditionally, so conditions are not kept.
 */
final class DirectoryObjectStore implements ObjectStore {
    private final Path root;
    int uploads;

    DirectoryObjectStore(Path root) {
        this.root = root;
    }

    @Override
    public void upload(Path file, String key, Map<String, String> metadata, WriteCondition condition) throws IOException {
        Files.createDirectories(root.resolve(key).getParent());
        Files.copy(file, root.resolve(key), StandardCopyOption.REPLACE_EXISTING);
        uploads++;
    }

    @Override
    public String put(String key, byte[] content, WriteCondition condition) throws IOException {
        Files.createDirectories(root.resolve(key).getParent());
        Files.write(root.resolve(key), content);
        return Integer.toHexString(java.util.Arrays.hashCode(content));
    }

    @Override
    public Optional<Versioned> get(String key) throws IOException {
        Path file = root.resolve(key);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        byte[] content = Files.readAllBytes(file);
        return Optional.of(new Versioned(content, Integer.toHexString(java.util.Arrays.hashCode(content))));
    }

    @Override
    public Optional<Map<String, String>> metadata(String key) {
        return Files.exists(root.resolve(key)) ? Optional.of(Map.of()) : Optional.empty();
    }

    @Override
    public void close() {
    }
}
