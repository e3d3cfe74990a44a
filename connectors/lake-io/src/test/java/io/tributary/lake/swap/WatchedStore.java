package io.tributary.lake.swap;

import io.tributary.lake.store.InMemoryObjectStore;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.store.WriteCondition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a check after every request to the store, whether it succeeded, failed or crashed the
 * process, and between requests lets a "sink" add objects, as the live sink does during a swap.
 */
final class WatchedStore implements ObjectStore {
    interface Check {
        void run() throws IOException;
    }

    private final InMemoryObjectStore store;
    private final Check afterEachRequest;
    private final Check betweenRequests;

    WatchedStore(InMemoryObjectStore store, Check afterEachRequest, Check betweenRequests) {
        this.store = store;
        this.afterEachRequest = afterEachRequest;
        this.betweenRequests = betweenRequests;
    }

    private interface Request<T> {
        T send() throws IOException;
    }

    private <T> T watched(Request<T> request) throws IOException {
        try {
            return request.send();
        } finally {
            afterEachRequest.run();
            betweenRequests.run();
        }
    }

    @Override
    public void upload(Path file, String key, Map<String, String> metadata, WriteCondition condition) throws IOException {
        watched(() -> {
            store.upload(file, key, metadata, condition);
            return null;
        });
    }

    @Override
    public String put(String key, byte[] content, WriteCondition condition) throws IOException {
        return watched(() -> store.put(key, content, condition));
    }

    @Override
    public Optional<Versioned> get(String key) throws IOException {
        return watched(() -> store.get(key));
    }

    @Override
    public Optional<Map<String, String>> metadata(String key) throws IOException {
        return watched(() -> store.metadata(key));
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        return watched(() -> store.list(prefix));
    }

    @Override
    public void copy(String sourceKey, String targetKey) throws IOException {
        watched(() -> {
            store.copy(sourceKey, targetKey);
            return null;
        });
    }

    @Override
    public void delete(List<String> keys) throws IOException {
        watched(() -> {
            store.delete(keys);
            return null;
        });
    }

    @Override
    public void download(String key, Path file) throws IOException {
        watched(() -> {
            store.download(key, file);
            return null;
        });
    }

    @Override
    public void close() {
    }
}
