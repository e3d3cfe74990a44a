package io.tributary.cli.replay;

import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.metrics.PipelineMetrics;
import io.tributary.streams.replay.InProcessPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A replay's in-process pipelines, built on a thread of their own as soon as the command has its
 * configuration. Building the first one loads and initialises Kafka Streams, the topology, the
 * serdes and the state stores (most of a second of one core); none of that needs the cut, so it runs
 * while the cut waits on Kafka and S3 and on the live sink. The same thread closes them: Kafka
 * Streams gives a task's state directory to the thread that opened it and releases it (and the
 * task's RocksDB stores) only for that thread.
 */
final class StartingPipelines implements AutoCloseable {
    private final ExecutorService owner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "replay-pipelines");
        t.setDaemon(true);
        return t;
    });
    private final Future<List<InProcessPipeline>> built;

    /** Starts building {@code count} pipelines of {@code table}, with their state in {@code work/state-<i>}. */
    StartingPipelines(PipelineConfig config, String table, int count, Path work) {
        built = owner.submit(() -> {
            List<InProcessPipeline> pipelines = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    pipelines.add(InProcessPipeline.of(config, table, Files.createDirectories(work.resolve("state-" + i)),
                            PipelineMetrics.discarding()));
                }
                return pipelines;
            } catch (IOException | RuntimeException e) {
                pipelines.forEach(InProcessPipeline::close);
                throw e;
            }
        });
    }

    /** The pipelines, once built; a failure to build them rethrown as it was thrown. */
    List<InProcessPipeline> get() throws IOException {
        return Tasks.get(built);
    }

    /** Closes the pipelines on the thread that built them, once built (a replay that fails first waits for that). */
    @Override
    public void close() throws IOException {
        Future<?> closing = owner.submit(() -> {
            try {
                built.get().forEach(InProcessPipeline::close);
            } catch (ExecutionException notBuilt) {
                // nothing to close; the replay has met (or will meet) that failure through get()
            }
            return null;
        });
        owner.shutdown();
        Tasks.get(closing);
    }
}
