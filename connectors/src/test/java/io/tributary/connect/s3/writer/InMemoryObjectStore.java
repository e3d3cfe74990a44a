package io.tributary.connect.s3.writer;

import io.tributary.connect.s3.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * An object store in memory for the writer's unit tests, with two kinds of injected failure: a
 * failing request (IOException, as S3 answering 500 after retries) and a crash (the process dies at
 * the n-th request, before or after the request takes effect).
 */
final class InMemoryObjectStore implements ObjectStore {
    /** Thrown where the task's process would have died. */
    static final class Crash extends RuntimeException {
        Crash(String where) {
            super("crash " + where);
        }
    }

    final Map<String, byte[]> objects = new TreeMap<>();
    private final Random random;
    private double failureRate;
    private long crashAtRequest = -1;
    private long requests;

    InMemoryObjectStore(Random random) {
        this.random = random;
    }

    void failRequests(double rate) {
        this.failureRate = rate;
    }

    /** The {@code n}-th request from now crashes the process, half the time after taking effect. */
    void crashAtRequest(long n) {
        crashAtRequest = requests + n;
    }

    private void before(String what) throws IOException {
        requests++;
        if (requests == crashAtRequest && random.nextBoolean()) {
            crashAtRequest = -1;
            throw new Crash("before " + what);
        }
        if (failureRate > 0 && random.nextDouble() < failureRate) {
            throw new IOException("injected 503 on " + what);
        }
    }

    private void after(String what) {
        if (requests == crashAtRequest) {
            crashAtRequest = -1;
            throw new Crash("after " + what);
        }
    }

    @Override
    public void upload(Path file, String key) throws IOException {
        before("upload " + key);
        objects.put(key, Files.readAllBytes(file));
        after("upload " + key);
    }

    @Override
    public void put(String key, byte[] content) throws IOException {
        before("put " + key);
        objects.put(key, content.clone());
        after("put " + key);
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        before("get " + key);
        return Optional.ofNullable(objects.get(key));
    }

    @Override
    public boolean exists(String key) throws IOException {
        before("head " + key);
        return objects.containsKey(key);
    }

    @Override
    public void close() {
    }
}
