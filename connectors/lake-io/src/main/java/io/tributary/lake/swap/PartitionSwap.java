package io.tributary.lake.swap;

import io.tributary.lake.parquet.ContentNamedFile;
import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.store.PreconditionFailedException;
import io.tributary.lake.store.WriteCondition;
import io.tributary.lake.swap.PartitionRecord.FolderState;
import io.tributary.lake.swap.PartitionRecord.Journal;
import io.tributary.lake.swap.PartitionRecord.KnownObject;
import io.tributary.lake.swap.PartitionRecord.NewObject;
import io.tributary.lake.swap.PartitionRecord.OldObject;
import io.tributary.lake.swap.SwapResult.Outcome;
import io.tributary.lake.swap.SwapResult.Recovery;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.lake.PartitionFolder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces some objects of one partition folder by new ones, the one way Tributary removes lake
 * objects (compaction, replay and snapshot builds all go through it). Under the folder's lease
 * ({@link PartitionLease}): list the folder and keep its final objects; let the {@link Rewriter} build
 * the new objects; upload them to a staging area outside every table; journal the replacement in the
 * partition record; publish each new object by a server-side copy; only then delete the replaced
 * objects; clear the journal. Killed at any point, the next holder of the lease finds the journal
 * and finishes it (every new object published or staged) or undoes it (a staged copy is gone):
 * a row never has zero visible copies, and once a replacement is finished it has exactly one. The
 * live sink is never blocked: it only adds objects, and a replacement removes only objects its own
 * listing saw and that no writer will write again ({@link Finality}). The argument and what readers
 * see meanwhile are in the README ("Compaction, complete hours and current state").
 */
public final class PartitionSwap {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionSwap.class);
    /** User metadata of published objects: content hash, row count, and the replacement that wrote them. */
    public static final String SHA256_METADATA = "tributary-sha256";
    public static final String ROWS_METADATA = "tributary-rows";
    public static final String SWAP_METADATA = "tributary-swap";

    private final ObjectStore store;
    private final LakePath paths;
    private final Finality finality;
    private final Duration leaseTtl;
    private final LongSupplier nanos;
    private final String holder;
    private final PartitionLease.Observations observations = new PartitionLease.Observations();

    public PartitionSwap(ObjectStore store, LakePath paths, Finality finality, Duration leaseTtl) {
        this(store, paths, finality, leaseTtl, System::nanoTime, UUID.randomUUID().toString());
    }

    /** @param nanos the monotonic clock that measures a lease's TTL; @param holder this process's lease id */
    public PartitionSwap(ObjectStore store, LakePath paths, Finality finality, Duration leaseTtl, LongSupplier nanos, String holder) {
        this.store = store;
        this.paths = paths;
        this.finality = finality;
        this.leaseTtl = leaseTtl;
        this.nanos = nanos;
        this.holder = holder;
    }

    /** Runs {@code rewriter} on {@code folder}; BUSY when another live process holds the folder's lease. */
    public SwapResult run(PartitionFolder folder, Rewriter rewriter) throws IOException {
        Optional<PartitionLease> taken = PartitionLease.acquire(store, paths.partitionRecordKey(folder), folder, holder,
                rewriter.kind(), leaseTtl, nanos, observations);
        if (taken.isEmpty()) {
            return SwapResult.busy(folder);
        }
        PartitionLease lease = taken.get();
        Recovery recovered = recover(folder, lease);
        FolderSnapshot snapshot = snapshot(folder);
        FolderState before = lease.record().state();
        Rewriter.Plan plan = rewriter.plan(snapshot, before, lease);
        String id = lease.record().generation() + "-" + rewriter.kind();
        Set<String> finals = snapshot.finals().stream().map(ObjectInfo::key).collect(Collectors.toSet());
        plan.replaced().stream().filter(o -> !finals.contains(o.key())).findFirst().ifPresent(o -> {
            throw new IllegalStateException("a rewriter may replace only final objects of its snapshot, not " + o.key());
        });
        Set<String> addedNames = plan.added().stream().map(ContentNamedFile.Written::name).collect(Collectors.toSet());
        List<ContentNamedFile.Written> toPublish = plan.added().stream().filter(o -> !snapshot.holds(o.name())).toList();
        List<ObjectInfo> toDelete = plan.replaced().stream().filter(o -> !addedNames.contains(o.name())).toList();
        boolean swapping = !toPublish.isEmpty() || !toDelete.isEmpty();
        FolderState after = after(before, snapshot, plan, swapping ? id : null);
        if (!swapping) {
            lease.release(lease.record().withState(after));
            return new SwapResult(folder, Outcome.UNCHANGED, recovered, 0, 0, 0, Duration.ZERO);
        }
        String staging = paths.stagingPrefix(folder, id);
        for (ContentNamedFile.Written object : toPublish) {
            stage(object, staging + object.name(), id);
            lease.keepAlive();
        }
        store.put(paths.swapIndexKey(folder), new byte[0], WriteCondition.NONE);
        Journal journal = new Journal(id, rewriter.kind(),
                toDelete.stream().map(o -> new OldObject(o.key(), o.etag(), o.size())).toList(),
                toPublish.stream().map(o -> new NewObject(snapshot.folderKey() + o.name(), o.bytes(), o.rows(), o.sha256())).toList(),
                staging, after);
        lease.write(lease.record().withSwap(journal));
        Duration overlap = complete(folder, lease, journal).orElseThrow(
                () -> new IOException("the staged objects of " + journal.id() + " in " + folder + " vanished while it ran"));
        lease.release(lease.record());
        long bytes = toPublish.stream().mapToLong(ContentNamedFile.Written::bytes).sum();
        LOG.info("Swapped {}: {} objects replaced by {} ({} bytes); readers saw both sets for {} ms", folder, toDelete.size(),
                toPublish.size(), bytes, overlap.toMillis());
        return new SwapResult(folder, Outcome.SWAPPED, recovered, toDelete.size(), toPublish.size(), bytes, overlap);
    }

    /**
     * Finishes or undoes every replacement a crash interrupted anywhere under the lake (found through
     * the swap index), where no live process holds the folder's lease.
     */
    public List<SwapResult> recoverInterrupted() throws IOException {
        List<SwapResult> results = new ArrayList<>();
        for (ObjectInfo index : store.list(paths.swapIndexRoot())) {
            PartitionFolder folder = paths.folderOfSwapIndex(index.key());
            if (folder == null) {
                continue;
            }
            Optional<PartitionLease> taken = PartitionLease.acquire(store, paths.partitionRecordKey(folder), folder, holder,
                    "recover", leaseTtl, nanos, observations);
            if (taken.isEmpty()) {
                results.add(SwapResult.busy(folder));
                continue;
            }
            Recovery recovery = recover(folder, taken.get());
            taken.get().release(taken.get().record());
            results.add(new SwapResult(folder, Outcome.UNCHANGED, recovery, 0, 0, 0, Duration.ZERO));
        }
        return results;
    }

    /** The folder's record as last written (empty for a folder nothing was done to). */
    public Optional<PartitionRecord> record(PartitionFolder folder) throws IOException {
        String key = paths.partitionRecordKey(folder);
        Optional<ObjectStore.Versioned> object = store.get(key);
        return object.isEmpty() ? Optional.empty() : Optional.of(PartitionRecord.fromJson(object.get().content(), key));
    }

    /** The folder's data objects, final or not, as one listing sees them now. */
    public FolderSnapshot snapshot(PartitionFolder folder) throws IOException {
        String folderKey = paths.folder(folder);
        List<ObjectInfo> listed = store.list(folderKey).stream()
                .filter(o -> o.key().indexOf('/', folderKey.length()) < 0 && paths.isDataObject(o.key())).toList();
        Set<String> pending = finality.pending(listed);
        return new FolderSnapshot(folder, folderKey, listed.stream().filter(o -> !pending.contains(o.key())).toList(),
                listed.stream().filter(o -> pending.contains(o.key())).toList());
    }

    /** Deals with an interrupted replacement of the folder whose lease this process now holds. */
    private Recovery recover(PartitionFolder folder, PartitionLease lease) throws IOException {
        Journal journal = lease.record().swap();
        Recovery recovery;
        if (journal != null) {
            recovery = complete(folder, lease, journal).isPresent() ? Recovery.ROLLED_FORWARD : Recovery.ROLLED_BACK;
            LOG.info("Found an interrupted replacement {} in {}: {}", journal.id(), folder, recovery);
        } else {
            List<String> leftovers = new ArrayList<>(store.list(paths.stagingPrefix(folder)).stream().map(ObjectInfo::key).toList());
            String index = paths.swapIndexKey(folder);
            boolean indexed = store.metadata(index).isPresent();
            if (leftovers.isEmpty() && !indexed) {
                return Recovery.NONE;
            }
            leftovers.add(index); // staged before a journal was written, or a cleanup cut short: invisible either way
            store.delete(leftovers);
            recovery = Recovery.CLEANED_UP;
        }
        return recovery;
    }

    /**
     * Publishes the journal's missing new objects from staging, deletes the old objects, and clears
     * the journal (keeping the lease); returns how long readers could see both sets. When a missing
     * object is not staged either (a lifecycle rule expired it), undoes the replacement instead and
     * returns empty.
     */
    private Optional<Duration> complete(PartitionFolder folder, PartitionLease lease, Journal journal) throws IOException {
        Set<String> present = store.list(paths.folder(folder)).stream().map(ObjectInfo::key).collect(Collectors.toSet());
        List<NewObject> missing = journal.added().stream().filter(o -> !present.contains(o.key())).toList();
        for (NewObject object : missing) {
            if (store.metadata(staged(journal, object)).isEmpty()) {
                rollBack(folder, lease, journal, present);
                return Optional.empty();
            }
        }
        long start = nanos.getAsLong();
        for (NewObject object : missing) {
            store.copy(staged(journal, object), object.key());
            if (store.metadata(object.key()).isEmpty()) {
                throw new IOException("the copy of " + staged(journal, object) + " to " + object.key() + " is not visible");
            }
        }
        lease.check(); // nobody took the folder over while this process paused: its deletes are still its to do
        store.delete(journal.old().stream().map(OldObject::key).toList());
        Duration overlap = missing.isEmpty() ? Duration.ZERO : Duration.ofNanos(nanos.getAsLong() - start);
        cleanUp(folder, journal);
        lease.write(lease.record().withSwap(null).withState(journal.after()));
        return Optional.of(overlap);
    }

    /** Removes what an interrupted replacement published; its old objects were never deleted. */
    private void rollBack(PartitionFolder folder, PartitionLease lease, Journal journal, Set<String> present) throws IOException {
        lease.check();
        store.delete(journal.added().stream().map(NewObject::key).filter(present::contains).toList());
        cleanUp(folder, journal);
        lease.write(lease.record().withSwap(null));
    }

    private void cleanUp(PartitionFolder folder, Journal journal) throws IOException {
        List<String> keys = new ArrayList<>(journal.added().stream().map(o -> staged(journal, o)).toList());
        keys.add(paths.swapIndexKey(folder));
        store.delete(keys);
    }

    private static String staged(Journal journal, NewObject object) {
        return journal.staging() + object.key().substring(object.key().lastIndexOf('/') + 1);
    }

    private void stage(ContentNamedFile.Written object, String key, String id) throws IOException {
        Map<String, String> metadata = Map.of(SHA256_METADATA, object.sha256(), ROWS_METADATA, String.valueOf(object.rows()),
                SWAP_METADATA, id);
        try {
            store.upload(object.file(), key, metadata, WriteCondition.ABSENT);
        } catch (PreconditionFailedException exists) {
            // A retried upload whose first attempt landed: the same content is there already.
            if (!store.metadata(key).map(m -> object.sha256().equals(m.get(SHA256_METADATA))).orElse(false)) {
                throw new IOException(key + " holds other content than " + object.name() + " names; delete the staging object");
            }
        }
    }

    /** The folder's state once the plan is carried out: known objects, then the rewriter's own changes. */
    private static FolderState after(FolderState before, FolderSnapshot snapshot, Rewriter.Plan plan, String swapId) {
        Set<String> replaced = plan.replaced().stream().map(ObjectInfo::name).collect(Collectors.toSet());
        Map<String, KnownObject> known = new LinkedHashMap<>();
        before.known().stream().filter(k -> snapshot.holds(k.name()) && !replaced.contains(k.name())).forEach(k -> known.put(k.name(), k));
        plan.counted().forEach(k -> known.put(k.name(), k));
        plan.added().forEach(o -> known.put(o.name(), new KnownObject(o.name(), o.bytes(), o.rows())));
        FolderState state = plan.finish().apply(before.withKnown(List.copyOf(known.values())));
        if (plan.rowsChanged()) {
            state = state.withContentVersion(before.contentVersion() + 1);
        }
        return swapId == null ? state : state.withLastSwap(swapId);
    }
}
