package io.tributary.cli.athena.usage;

import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.lake.store.WriteCondition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Objects as files under a folder, key = relative path: the local copy of a bucket that DuckDB and
 * the verifier read. Conditions are not kept (its writers write unconditionally, or never race);
 * a listing's LastModified is the file's modification time, which tests may set.
 */
public final class DirectoryObjectStore implements ObjectStore {
    private final Path root;
    int uploads;

    public DirectoryObjectStore(Path root) {
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
    public List<ObjectInfo> list(String prefix) throws IOException {
        List<ObjectInfo> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (var files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String key = root.relativize(f).toString().replace('\\', '/');
                if (key.startsWith(prefix)) {
                    byte[] content = Files.readAllBytes(f);
                    out.add(new ObjectInfo(key, Integer.toHexString(java.util.Arrays.hashCode(content)), content.length,
                            Files.getLastModifiedTime(f).toInstant()));
                }
            }
        }
        return out;
    }

    @Override
    public void download(String key, Path file) throws IOException {
        Files.copy(root.resolve(key), file, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
    }
}
