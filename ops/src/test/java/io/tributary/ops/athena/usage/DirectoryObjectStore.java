package io.tributary.ops.athena.usage;

import io.tributary.connect.s3.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** Objects as files under a folder, key = relative path: the local copy of a bucket that DuckDB and the verifier read. */
final class DirectoryObjectStore implements ObjectStore {
    private final Path root;
    int uploads;

    DirectoryObjectStore(Path root) {
        this.root = root;
    }

    @Override
    public void upload(Path file, String key) throws IOException {
        Files.createDirectories(root.resolve(key).getParent());
        Files.copy(file, root.resolve(key), StandardCopyOption.REPLACE_EXISTING);
        uploads++;
    }

    @Override
    public void put(String key, byte[] content) throws IOException {
        Files.createDirectories(root.resolve(key).getParent());
        Files.write(root.resolve(key), content);
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        Path file = root.resolve(key);
        return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    @Override
    public boolean exists(String key) {
        return Files.exists(root.resolve(key));
    }

    @Override
    public void close() {
    }
}
