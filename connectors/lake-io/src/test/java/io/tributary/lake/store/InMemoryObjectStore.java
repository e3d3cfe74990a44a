package io.tributary.lake.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An object store in memory for unit tests (the sink's writer, partition swaps). Like S3 it gives each version an ETag (the
 * MD5 of its content) and, when {@link Conditions#HONOURED}, checks a write's precondition when the
 * write takes effect; stores without conditional writes either ignore the headers or refuse them.
 * Injected faults: a failing request (as S3 answering 500 after retries: an IOException before the
 * request takes effect or after it, or, for a write, a lost answer that the client's retry meets,
 * which a conditional write then fails), a crash (the process dies at the n-th request, before or
 * after it takes effect), and a PUT paused mid-flight (started, but taking effect only when the
 * test releases it, from whatever thread sent it). Every request counts, listings, copies and
 * deletes included, so a crash can be placed before or after any of them.
 * Thread-safe: a zombie writer may run on another thread.
 */
public final class InMemoryObjectStore implements ObjectStore {
    /** What the store does with conditional headers. */
    public enum Conditions { HONOURED, IGNORED, REFUSED }

    /** Thrown where the task's process would have died. */
    public static final class Crash extends RuntimeException {
        public Crash(String where) {
            super("crash " + where);
        }
    }

    /** A PUT held between its start and its effect. */
    public static final class PausedPut {
        private final Predicate<String> keys;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile String key;

        private PausedPut(Predicate<String> keys) {
            this.keys = keys;
        }

        /** Waits until a PUT of a matching key has started; returns its key. */
        public String awaitStarted() throws InterruptedException {
            if (!reached.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("no PUT reached the pause");
            }
            return key;
        }

        /** Lets the paused PUT take effect (its precondition is checked now, as S3 checks it at completion). */
        public void release() {
            released.countDown();
        }

        private void hold(String putKey) {
            key = putKey;
            reached.countDown();
            try {
                if (!released.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("the paused PUT of " + putKey + " was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    public final Map<String, byte[]> objects = new TreeMap<>();
    /** Keys written while they held an object: S3 would have replaced it. */
    public final List<String> overwritten = new ArrayList<>();
    private final Map<String, Map<String, String>> metadata = new HashMap<>();
    private final Map<String, Instant> modified = new HashMap<>();
    private Supplier<Instant> clock = Instant::now;
    private final List<PausedPut> pauses = new ArrayList<>();
    private final Random random;
    private final Conditions conditions;
    private double failureRate;
    private long crashAtRequest = -1;
    private long requests;
    private final List<String> requestLog = new ArrayList<>();

    public InMemoryObjectStore(Random random) {
        this(random, Conditions.HONOURED);
    }

    public InMemoryObjectStore(Random random, Conditions conditions) {
        this.random = random;
        this.conditions = conditions;
    }

    public synchronized void failRequests(double rate) {
        this.failureRate = rate;
    }

    /** The {@code n}-th request from now crashes the process, half the time after taking effect. */
    public synchronized void crashAtRequest(long n) {
        crashAtRequest = requests + n;
    }

    /** Cancels a crash that has not happened yet (the process got past the point). */
    public synchronized void noCrash() {
        crashAtRequest = -1;
    }

    /** Requests so far (each attempt counts once). */
    public synchronized long requests() {
        return requests;
    }

    /** What each request so far was ("put KEY", "copy A to B", ...), in order. */
    public synchronized List<String> requestLog() {
        return List.copyOf(requestLog);
    }

    /** Where LastModified comes from (default: the wall clock). */
    public synchronized void clock(Supplier<Instant> clock) {
        this.clock = clock;
    }

    /** The next PUT (upload or small object) of a key {@code keys} accepts stops before taking effect. */
    public synchronized PausedPut pauseNextPut(Predicate<String> keys) {
        PausedPut pause = new PausedPut(keys);
        pauses.add(pause);
        return pause;
    }

    public synchronized Map<String, byte[]> snapshot() {
        return new TreeMap<>(objects);
    }

    /** Stores an object as it was, without metadata or conditions (state left by an older plugin version). */
    public synchronized void replace(String key, byte[] content) {
        objects.put(key, content);
        metadata.put(key, Map.of());
        modified.put(key, clock.get());
    }

    /** Removes an object behind the client's back (no request counted, no fault). */
    public synchronized void remove(String key) {
        objects.remove(key);
        metadata.remove(key);
        modified.remove(key);
    }

    /** What an injected failure does to a write that has taken effect. */
    private enum LateFault { NONE, ERROR, RETRIED }

    private synchronized LateFault before(String what) throws IOException {
        requests++;
        requestLog.add(what);
        if (requests == crashAtRequest && random.nextBoolean()) {
            crashAtRequest = -1;
            throw new Crash("before " + what);
        }
        if (failureRate > 0 && random.nextDouble() < failureRate) {
            int kind = random.nextInt(3);
            if (kind == 0) {
                throw new IOException("injected 503 on " + what);
            }
            return kind == 1 ? LateFault.ERROR : LateFault.RETRIED;
        }
        return LateFault.NONE;
    }

    /** A read fails whichever way an injected failure would fail a write; a crash at a read always happens (before or after it). */
    private void read(String what) throws IOException {
        if (before(what) != LateFault.NONE) {
            throw new IOException("injected 503 on " + what);
        }
        after(what);
    }

    private synchronized void after(String what) {
        if (requests == crashAtRequest) {
            crashAtRequest = -1;
            throw new Crash("after " + what);
        }
    }

    @Override
    public void upload(Path file, String key, Map<String, String> meta, WriteCondition condition) throws IOException {
        write("upload " + key, key, Files.readAllBytes(file), meta, condition);
    }

    @Override
    public String put(String key, byte[] content, WriteCondition condition) throws IOException {
        return write("put " + key, key, content.clone(), Map.of(), condition);
    }

    private String write(String what, String key, byte[] content, Map<String, String> meta, WriteCondition condition)
            throws IOException {
        LateFault fault = before(what);
        if (!condition.isNone() && conditions == Conditions.REFUSED) {
            throw new ConditionalWritesUnsupportedException("injected 501 NotImplemented on " + what);
        }
        PausedPut pause = takePause(key);
        if (pause != null) {
            pause.hold(key);
        }
        apply(what, key, content, meta, condition);
        after(what);
        if (fault == LateFault.ERROR) {
            throw new IOException("injected 503 on " + what + " after it took effect");
        }
        if (fault == LateFault.RETRIED) {
            apply(what + " (retried after a lost answer)", key, content, meta, condition);
        }
        return etag(content);
    }

    private synchronized void apply(String what, String key, byte[] content, Map<String, String> meta,
                                    WriteCondition condition) throws PreconditionFailedException {
        if (conditions == Conditions.HONOURED) {
            byte[] current = objects.get(key);
            if (condition.ifAbsent() && current != null
                    || condition.ifMatch() != null && (current == null || !condition.ifMatch().equals(etag(current)))) {
                throw new PreconditionFailedException("412 on " + what + " (" + condition + ")");
            }
        }
        if (objects.put(key, content) != null) {
            overwritten.add(key);
        }
        metadata.put(key, Map.copyOf(meta));
        modified.put(key, clock.get());
    }

    private synchronized PausedPut takePause(String key) {
        for (PausedPut pause : pauses) {
            if (pause.keys.test(key)) {
                pauses.remove(pause);
                return pause;
            }
        }
        return null;
    }

    @Override
    public Optional<Versioned> get(String key) throws IOException {
        read("get " + key);
        synchronized (this) {
            byte[] content = objects.get(key);
            return content == null ? Optional.empty() : Optional.of(new Versioned(content.clone(), etag(content)));
        }
    }

    @Override
    public Optional<Map<String, String>> metadata(String key) throws IOException {
        read("head " + key);
        synchronized (this) {
            return objects.containsKey(key) ? Optional.of(metadata.get(key)) : Optional.empty();
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        read("list " + prefix);
        synchronized (this) {
            List<ObjectInfo> out = new ArrayList<>();
            objects.forEach((key, content) -> {
                if (key.startsWith(prefix)) {
                    out.add(new ObjectInfo(key, etag(content), content.length, modified.get(key)));
                }
            });
            return out;
        }
    }

    @Override
    public void copy(String sourceKey, String targetKey) throws IOException {
        String what = "copy " + sourceKey + " to " + targetKey;
        LateFault fault = before(what);
        synchronized (this) {
            byte[] content = objects.get(sourceKey);
            if (content == null) {
                throw new IOException("404 NoSuchKey on " + what);
            }
            if (objects.put(targetKey, content) != null) {
                overwritten.add(targetKey);
            }
            metadata.put(targetKey, metadata.get(sourceKey));
            modified.put(targetKey, clock.get());
        }
        after(what);
        if (fault == LateFault.ERROR) {
            throw new IOException("injected 503 on " + what + " after it took effect");
        }
    }

    @Override
    public void delete(List<String> keys) throws IOException {
        String what = "delete " + keys;
        LateFault fault = before(what);
        synchronized (this) {
            keys.forEach(this::remove);
        }
        after(what);
        if (fault == LateFault.ERROR) {
            throw new IOException("injected 503 on " + what + " after it took effect");
        }
    }

    @Override
    public void download(String key, Path file) throws IOException {
        read("download " + key);
        byte[] content;
        synchronized (this) {
            content = objects.get(key);
        }
        if (content == null) {
            throw new IOException("404 NoSuchKey on download " + key);
        }
        Files.write(file, content);
    }

    /** S3's ETag of a single-PUT object: the quoted MD5 of its content. */
    public static String etag(byte[] content) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
    }
}
