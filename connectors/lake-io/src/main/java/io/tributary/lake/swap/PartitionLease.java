package io.tributary.lake.swap;

import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.store.PreconditionFailedException;
import io.tributary.lake.store.WriteCondition;
import io.tributary.schemas.lake.PartitionFolder;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The lease on one folder's partition record: every write is a compare-and-swap on the ETag this
 * holder wrote last, so a holder that lost the lease fails its next write and stops. A lease of
 * another holder is taken over only when its record's ETag stayed the same for a whole TTL as
 * measured on this process's clock (a live holder's heartbeat changes it every TTL/4), which needs
 * no agreement between the hosts' clocks.
 */
final class PartitionLease implements Heartbeat {
    /** The first ETag this process saw of a record leased by someone else, and when (per record key). */
    static final class Observations {
        private record Seen(String etag, long atNanos) {
        }

        private final Map<String, Seen> seen = new ConcurrentHashMap<>();

        /** Whether the lease in the record with this ETag has been seen unchanged for {@code ttl}. */
        boolean stale(String key, String etag, Duration ttl, long nowNanos) {
            Seen first = seen.merge(key, new Seen(etag, nowNanos), (old, now) -> old.etag.equals(etag) ? old : now);
            return nowNanos - first.atNanos >= ttl.toNanos();
        }

        void forget(String key) {
            seen.remove(key);
        }
    }

    private final ObjectStore store;
    private final String key;
    private final String holder;
    private final Duration ttl;
    private final LongSupplier nanos;
    private PartitionRecord record;
    private String etag;
    private long lastWrite;

    private PartitionLease(ObjectStore store, String key, String holder, Duration ttl, LongSupplier nanos) {
        this.store = store;
        this.key = key;
        this.holder = holder;
        this.ttl = ttl;
        this.nanos = nanos;
    }

    /**
     * Takes the lease of {@code folder}'s record at {@code key}; empty when another live holder has it.
     * Taking it raises the record's generation.
     */
    static Optional<PartitionLease> acquire(ObjectStore store, String key, PartitionFolder folder, String holder, String purpose,
            Duration ttl, LongSupplier nanos, Observations observations) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<ObjectStore.Versioned> current = store.get(key);
            PartitionRecord found = current.isPresent() ? PartitionRecord.fromJson(current.get().content(), key)
                    : PartitionRecord.empty(folder);
            String foundEtag = current.map(ObjectStore.Versioned::etag).orElse(null);
            PartitionRecord.Lease lease = found.lease();
            if (lease != null && !lease.holder().equals(holder) && !observations.stale(key, foundEtag, ttl, nanos.getAsLong())) {
                return Optional.empty();
            }
            PartitionLease taken = new PartitionLease(store, key, holder, ttl, nanos);
            PartitionRecord claimed = found.withGeneration(found.generation() + 1)
                    .withLease(new PartitionRecord.Lease(holder, purpose, 0));
            try {
                taken.etag = store.put(key, claimed.toJson(), foundEtag == null ? WriteCondition.ABSENT : WriteCondition.matching(foundEtag));
            } catch (PreconditionFailedException raced) {
                continue; // someone else wrote it in between: look again
            }
            taken.record = claimed;
            taken.lastWrite = nanos.getAsLong();
            observations.forget(key);
            // Read back: on stores whose If-Match is not atomic (s3proxy) two claims from one ETag can both pass.
            if (!taken.stillOurs()) {
                return Optional.empty();
            }
            return Optional.of(taken);
        }
        return Optional.empty();
    }

    PartitionRecord record() {
        return record;
    }

    /** Writes the next version of the record, conditional on the one this holder wrote last. */
    void write(PartitionRecord next) throws IOException {
        try {
            etag = store.put(key, next.toJson(), WriteCondition.matching(etag));
        } catch (PreconditionFailedException e) {
            throw lost();
        }
        record = next;
        lastWrite = nanos.getAsLong();
    }

    @Override
    public void keepAlive() throws IOException {
        if (nanos.getAsLong() - lastWrite >= ttl.toNanos() / 4) {
            PartitionRecord.Lease lease = record.lease();
            write(record.withLease(new PartitionRecord.Lease(lease.holder(), lease.purpose(), lease.beat() + 1)));
        }
    }

    /** Throws unless the record is still the version this holder wrote: checked right before deleting anything. */
    void check() throws IOException {
        keepAlive();
        if (!stillOurs()) {
            throw lost();
        }
    }

    /** Writes the final version of the record with the lease released. */
    void release(PartitionRecord last) throws IOException {
        write(last.withLease(null));
    }

    private boolean stillOurs() throws IOException {
        Optional<ObjectStore.Versioned> now = store.get(key);
        return now.isPresent() && now.get().etag().equals(etag)
                && holder.equals(Optional.ofNullable(PartitionRecord.fromJson(now.get().content(), key).lease())
                        .map(PartitionRecord.Lease::holder).orElse(null));
    }

    private LeaseLostException lost() {
        return new LeaseLostException(key + " changed while this process held its lease: another process took the folder over "
                + "after this one paused for longer than the lease TTL (" + ttl + "); it finishes what was started");
    }
}
