package io.tributary.cli.replay;

import io.tributary.cli.common.CliError;
import io.tributary.cli.connectors.SinkLag;
import io.tributary.lake.store.ObjectStore.ObjectInfo;
import io.tributary.lake.store.ObjectStore;
import io.tributary.lake.store.WriteCondition;
import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * The cut of a replay while the live pipeline runs, in this order:
 * <ol>
 *   <li>{@code t_cut}: S3's LastModified of an object the replay PUTs now (S3's clock, the clock of
 *       every lake object's LastModified);</li>
 *   <li>{@code C}: the streams app's committed offsets on the source topic, read after {@code t_cut}.
 *       Under exactly-once, every lake row from below {@code C} was produced in a transaction that
 *       committed before {@code C} was readable; the replay reads exactly the records below {@code C};</li>
 *   <li>{@code E}: the lake topic's end offsets, read after {@code C}: every row from below {@code C}
 *       is below {@code E};</li>
 *   <li>wait until the lake sink's group has committed {@code E} (the sink commits only what is in S3)
 *       and, for {@code --source archive}, the raw archive's group has committed {@code C} and the
 *       master history's ends read with it;</li>
 *   <li>{@code t_w}: S3's LastModified of a second object PUT then.</li>
 * </ol>
 * A lake object uploaded before {@code t_cut} holds only rows from below {@code C}; one uploaded after
 * {@code t_w} by the sink holds only rows from at or above {@code C} (those from below were all in S3
 * by then); objects in between are read row by row ({@link HourRewrite}).
 */
final class ReplayCut {
    private static final Duration POLL = Duration.ofSeconds(1);

    private final ObjectStore store;
    private final LakePath lake;
    private final Admin admin;
    private final SinkLag lag;

    ReplayCut(ObjectStore store, LakePath lake, Admin admin, Map<String, Object> kafkaClients) {
        this.store = store;
        this.lake = lake;
        this.admin = admin;
        this.lag = new SinkLag(admin, kafkaClients);
    }

    /**
     * Takes the cut of a new replay and returns its plan (not yet caught up).
     *
     * @param streamsGroup the streams app's group (its application.id; CDC tables: application.id + "-cdc")
     * @param history      the master tables' CDC topics whose history the replay loads (their ends now)
     */
    ReplayPlan take(String id, String table, HourRange range, String source, String topic, String lakeTopic,
            String streamsGroup, Collection<String> history) throws IOException {
        try {
            Instant cutAt = stamp(id, "cut");
            Map<Integer, Long> cut = committedOffsets(topic, streamsGroup);
            Map<String, Map<Integer, Long>> ends = new TreeMap<>();
            for (String master : history) {
                ends.put(master, byPartition(lag.ends(partitions(master))));
            }
            Map<Integer, Long> lakeEnds = byPartition(lag.ends(partitions(lakeTopic)));
            return new ReplayPlan(ReplayPlan.FORMAT, id, table, range.from().toString(), range.to().toString(), source, topic,
                    cutAt.toString(), cut, ends, lakeEnds, null, null);
        } catch (ExecutionException e) {
            throw new IOException("Kafka refused a request while taking the replay's cut: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The streams app's committed offset of each partition of {@code topic} (0 where it has none): the cut it would take now. */
    Map<Integer, Long> committed(String topic, String streamsGroup) throws IOException {
        try {
            return committedOffsets(topic, streamsGroup);
        } catch (ExecutionException e) {
            throw new IOException("Kafka refused a request for the streams app's offsets: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private Map<Integer, Long> committedOffsets(String topic, String streamsGroup) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> committed = lag.committedOf(streamsGroup);
        Map<Integer, Long> cut = new TreeMap<>();
        for (TopicPartition tp : partitions(topic)) {
            cut.put(tp.partition(), committed.getOrDefault(tp, 0L));
        }
        return cut;
    }

    /**
     * Waits until the live sink holds every lake row from below the cut (and the archive every record
     * below it, for an archive replay); returns the plan with {@code t_w}.
     */
    ReplayPlan waitForLive(ReplayPlan plan, String lakeTopic, String sinkConnector, String archiveConnector, Duration timeout,
            PrintWriter out) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long behind = behind(SinkLag.group(sinkConnector), lakeTopic, plan.lakeEnds());
                if ("archive".equals(plan.source())) {
                    behind += behind(SinkLag.group(archiveConnector), plan.topic(), plan.cut());
                    for (Map.Entry<String, Map<Integer, Long>> master : plan.history().entrySet()) {
                        behind += behind(SinkLag.group(archiveConnector), master.getKey(), master.getValue());
                    }
                }
                if (behind == 0) {
                    return plan.caughtUp(stamp(plan.id(), "caught-up"));
                }
                if (System.nanoTime() > deadline) {
                    throw new CliError("the live sink (" + sinkConnector + ") or the archive (" + archiveConnector + ") is still "
                            + behind + " records short of the replay's cut after " + timeout.toSeconds()
                            + " s; check `tributary connectors status` and run the replay again");
                }
                out.printf("waiting for the live sink to reach the cut (%,d records to go)%n", behind);
                out.flush();
                Thread.sleep(POLL.toMillis());
            }
        } catch (ExecutionException e) {
            throw new IOException("Kafka refused a request while waiting for the live sink: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * The records below {@code target} that {@code group} has not committed. Counted, not subtracted:
     * the lake topics are written in transactions, and a commit marker takes an offset that the sink,
     * which commits the offset after its last record, never commits past while the partition is idle.
     */
    private long behind(String group, String topic, Map<Integer, Long> target) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> committed = lag.committedOf(group);
        Map<TopicPartition, Long> ends = new HashMap<>();
        target.forEach((partition, end) -> ends.put(new TopicPartition(topic, partition), end));
        return lag.recordsBetween(committed, ends);
    }

    /** PUTs an empty object under the replay's folder and returns its LastModified: a time on S3's clock. */
    private Instant stamp(String id, String name) throws IOException {
        String key = lake.replayKey(id, name);
        store.put(key, name.getBytes(StandardCharsets.UTF_8), WriteCondition.NONE);
        return store.list(key).stream().filter(o -> o.key().equals(key)).map(ObjectInfo::lastModified).findFirst()
                .orElseThrow(() -> new IOException(key + " was written but a listing does not show it"));
    }

    private List<TopicPartition> partitions(String topic) throws ExecutionException, InterruptedException {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue,
                (a, b) -> a, TreeMap::new));
    }
}
