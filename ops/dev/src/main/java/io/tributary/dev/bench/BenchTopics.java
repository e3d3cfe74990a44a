package io.tributary.dev.bench;

import io.tributary.devstack.StackConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The topics of a benchmark run on the stack's broker: created ready to write, deleted at the end. */
final class BenchTopics {
    private BenchTopics() {
    }

    /**
     * Creates the topics and waits until every partition has a leader, so that the first writes are
     * not refused for a while; {@link BenchInput#producer} keeps a refused write from being lost.
     */
    static void create(StackConfig stack, List<NewTopic> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
            List<String> names = topics.stream().map(NewTopic::name).toList();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!led(admin, names)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the bench's topics " + names + " have no leader 30 s after their creation");
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Whether every partition has a leader. A broker answers "unknown topic" until the creation
     * reaches its metadata cache, which is the same "not yet" as a partition without a leader.
     */
    private static boolean led(Admin admin, List<String> names) throws Exception {
        try {
            return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                    .allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    /** The run's topics (input, per-round outputs, the apps' internal topics) would otherwise fill the stack's disk. */
    static void deleteRun(StackConfig stack, String run, PrintWriter out) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().filter(t -> t.startsWith(run)).toList();
            admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
            out.printf("Deleted the run's %d topics.%n", topics.size());
        }
    }
}
