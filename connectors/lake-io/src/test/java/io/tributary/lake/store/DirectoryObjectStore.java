package io.tributary.lake.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Objects as files under a folder, key = relative path: a bucket that DuckDB and the verifier read
 * in place. Like S3 (and {@link InMemoryObjectStore}) it honours conditional writes and gives each
 * version an ETag, the quoted MD5 of its content; user metadata lives only as long as the instance.
 */
public final class DirectoryObjectStore implements ObjectStore {
    private final Path root;
    private final Map<String, Map<String, String>> metadata = new HashMap<>();
    public int uploads;

    public DirectoryObjectStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    @Override
    public synchronized void upload(Path file, String key, Map<String, String> meta, WriteCondition condition) throws IOException {
        check(key, condition);
        Files.createDirectories(path(key).getParent());
        Files.copy(file, path(key), StandardCopyOption.REPLACE_EXISTING);
        metadata.put(key, Map.copyOf(meta));
        uploads++;
    }

    @Override
    public synchronized String put(String key, byte[] content, WriteCondition condition) throws IOException {
        check(key, condition);
        Files.createDirectories(path(key).getParent());
        Files.write(path(key), content);
        metadata.put(key, Map.of());
        return InMemoryObjectStore.etag(content);
    }

    private void check(String key, WriteCondition condition) throws IOException {
        Optional<Versioned> current = get(key);
        if (condition.ifAbsent() && current.isPresent()
                || condition.ifMatch() != null && !current.map(v -> v.etag().equals(condition.ifMatch())).orElse(false)) {
            throw new PreconditionFailedException("412 on " + key + " (" + condition + ")");
        }
    }

    @Override
    public synchronized Optional<Versioned> get(String key) throws IOException {
        Path file = path(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        byte[] content = Files.readAllBytes(file);
        return Optional.of(new Versioned(content, InMemoryObjectStore.etag(content)));
    }

    @Override
    public synchronized Optional<Map<String, String>> metadata(String key) {
        return Files.isRegularFile(path(key)) ? Optional.of(metadata.getOrDefault(key, Map.of())) : Optional.empty();
    }

    @Override
    public synchronized List<ObjectInfo> list(String prefix) throws IOException {
        List<ObjectInfo> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String key = root.relativize(f).toString();
                if (key.startsWith(prefix)) {
                    byte[] content = Files.readAllBytes(f);
                    out.add(new ObjectInfo(key, InMemoryObjectStore.etag(content), content.length,
                            Files.getLastModifiedTime(f).toInstant()));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public synchronized void copy(String sourceKey, String targetKey) throws IOException {
        Files.createDirectories(path(targetKey).getParent());
        Files.copy(path(sourceKey), path(targetKey), StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(path(targetKey), java.nio.file.attribute.FileTime.from(Instant.now()));
        metadata.put(targetKey, metadata.getOrDefault(sourceKey, Map.of()));
    }

    @Override
    public synchronized void delete(List<String> keys) {
        keys.forEach(key -> {
            try {
                Files.deleteIfExists(path(key));
                metadata.remove(key);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public synchronized void download(String key, Path file) throws IOException {
        Files.copy(path(key), file, StandardCopyOption.REPLACE_EXISTING);
    }

    private Path path(String key) {
        return root.resolve(key);
    }

    @Override
    public void close() {
    }
}
