package io.tributary.cli.compact;

import io.tributary.lake.parquet.AvroFooter;
import io.tributary.lake.parquet.ContentNamedFile;
import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.swap.FolderSnapshot;
import io.tributary.lake.swap.Heartbeat;
import io.tributary.lake.swap.PartitionRecord.FolderState;
import io.tributary.lake.swap.PartitionRecord.KnownObject;
import io.tributary.lake.swap.Rewriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * Compaction of one closed hour, the {@link Rewriter} that {@code PartitionSwap} runs: the hour's final
 * objects smaller than the target size are merged, in key order and row by row (memory stays at one
 * Parquet row group whatever the hour's size), into as few content-named {@code c-} objects as the
 * target allows; objects written with different schemas (the contract evolved within the hour) are
 * merged per schema. The same inputs give the same output bytes and names in any process, so a pass
 * run again after a crash publishes objects that are already there. The hour is declared complete
 * (closed) when no object in it may still be written again by the sink.
 */
final class HourCompaction implements Rewriter {

    private final ObjectStore store;
    private final Path workDir;
    private final long targetBytes;
    private final Instant now;

    /** @param workDir an empty folder of this pass, where inputs are downloaded and outputs built */
    HourCompaction(ObjectStore store, Path workDir, long targetBytes, Instant now) {
        this.store = store;
        this.workDir = workDir;
        this.targetBytes = targetBytes;
        this.now = now;
    }

    @Override
    public String kind() {
        return "c";
    }

    /** Whether the folder is complete and nothing arrived since: a pass leaves it alone without taking its lease. */
    static boolean upToDate(FolderSnapshot snapshot, FolderState state) {
        return state.closedAt() != null && !state.reopened() && snapshot.pending().isEmpty() && allKnown(snapshot, state);
    }

    private static boolean allKnown(FolderSnapshot snapshot, FolderState state) {
        Map<String, Long> known = new LinkedHashMap<>();
        state.known().forEach(k -> known.put(k.name(), k.size()));
        return snapshot.finals().stream().allMatch(o -> Long.valueOf(o.size()).equals(known.get(o.name())))
                && snapshot.finals().size() == state.known().size();
    }

    @Override
    public Plan plan(FolderSnapshot snapshot, FolderState state, Heartbeat heartbeat) throws IOException {
        String at = now.toString();
        UnaryOperator<FolderState> finish = snapshot.pending().isEmpty() ? s -> s.closed(at, at)
                : s -> s.closedAt() != null ? s.reopen() : s;
        if (upToDate(snapshot, state)) {
            return Plan.none(List.of(), s -> s);
        }
        Map<String, KnownObject> known = new LinkedHashMap<>();
        state.known().forEach(k -> known.put(k.name(), k));
        List<ObjectInfo> finals = snapshot.finals().stream().sorted(Comparator.comparing(ObjectInfo::key)).toList();
        Map<String, List<Input>> bySchema = new LinkedHashMap<>();
        List<KnownObject> counted = new ArrayList<>();
        for (ObjectInfo object : finals) {
            KnownObject k = known.get(object.name());
            if (object.size() >= targetBytes) {
                counted.add(k != null && k.size() == object.size() ? k : new KnownObject(object.name(), object.size(), download(object).rows));
            } else {
                Input input = download(object);
                bySchema.computeIfAbsent(input.schema, s -> new ArrayList<>()).add(input);
            }
            heartbeat.keepAlive();
        }
        List<ObjectInfo> replaced = new ArrayList<>();
        List<ContentNamedFile.Written> added = new ArrayList<>();
        for (Map.Entry<String, List<Input>> group : bySchema.entrySet()) {
            List<Input> inputs = group.getValue();
            if (inputs.size() == 1) {
                counted.add(new KnownObject(inputs.get(0).object.name(), inputs.get(0).object.size(), inputs.get(0).rows));
                continue;
            }
            added.addAll(merge(new Schema.Parser().parse(group.getKey()), inputs, heartbeat));
            inputs.forEach(i -> replaced.add(i.object));
        }
        return new Plan(replaced, added, counted, false, finish);
    }

    /** An input object downloaded into the work dir, with its writer schema and row count from the footer. */
    private record Input(ObjectInfo object, Path file, String schema, long rows) {
    }

    private Input download(ObjectInfo object) throws IOException {
        Path file = workDir.resolve("in").resolve(object.name());
        Files.createDirectories(file.getParent());
        store.download(object.key(), file);
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return new Input(object, file, writerSchema(reader, object), reader.getRecordCount());
        }
    }

    /** The Avro schema a lake object was written with, from its footer (as text). */
    static String writerSchema(ParquetFileReader reader, ObjectInfo object) throws IOException {
        String schema = AvroFooter.schemaText(reader);
        if (schema == null) {
            throw new IOException(object.key() + " has no Avro schema in its footer: not written by Tributary; move it out of the table");
        }
        return schema;
    }

    /** Streams the inputs, in order, into content-named files of about the target size (a new file starts between inputs). */
    private List<ContentNamedFile.Written> merge(Schema schema, List<Input> inputs, Heartbeat heartbeat) throws IOException {
        List<ContentNamedFile.Written> written = new ArrayList<>();
        Path out = Files.createDirectories(workDir.resolve("out"));
        ContentNamedFile file = null;
        long inFile = 0;
        try {
            for (Input input : inputs) {
                if (file != null && inFile >= targetBytes) {
                    written.add(file.finish(kind()));
                    file = null;
                }
                if (file == null) {
                    file = new ContentNamedFile(out, schema);
                    inFile = 0;
                }
                try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(input.file))
                        .withDataModel(GenericData.get()).build()) {
                    for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
                        file.write(row);
                    }
                }
                inFile += input.object.size();
                Files.delete(input.file);
                heartbeat.keepAlive();
            }
            written.add(file.finish(kind()));
            file = null;
        } finally {
            if (file != null) {
                file.close();
            }
        }
        return written;
    }
}
