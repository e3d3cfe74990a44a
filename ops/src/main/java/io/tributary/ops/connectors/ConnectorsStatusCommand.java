package io.tributary.ops.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.devstack.connect.ConnectRestClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * `tributary connectors status`: each connector's state, its tasks, the first lines of a failed
 * task's trace, and for sinks the lag (records in their topics not yet committed, which for the S3
 * sink means not yet in S3, counted without transaction markers). Exit code 0 when everything runs, 1 otherwise.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each connector's state, failed task traces, and sink lag. Exit 0 when all run, 1 otherwise.")
public final class ConnectorsStatusCommand implements Callable<Integer> {
    @Mixin
    ConnectTarget target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ConnectRestClient rest = new ConnectRestClient(target.connectUrl());
        boolean allRunning = true;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers()))) {
            var names = rest.connectors();
            if (names.isEmpty()) {
                out.println("No connectors on " + target.connectUrl() + "; deploy them with `./tributary connectors apply`.");
                return 1;
            }
            for (String name : names.stream().sorted().toList()) {
                JsonNode status = rest.status(name);
                out.printf("%s (%s): %s%n", name, status.path("type").asText("?"), ConnectRestClient.summary(status));
                allRunning &= "RUNNING".equals(status.at("/connector/state").asText());
                for (JsonNode task : status.path("tasks")) {
                    allRunning &= "RUNNING".equals(task.path("state").asText());
                    if (task.hasNonNull("trace")) {
                        out.printf("  task %d trace:%n", task.path("id").asInt());
                        task.path("trace").asText().lines().limit(6).forEach(l -> out.println("    " + l));
                    }
                }
                if ("sink".equals(status.path("type").asText())) {
                    out.printf("  lag: %s%n", sinkLag(admin, name));
                }
            }
        }
        return allRunning ? 0 : 1;
    }

    /** Above this many offsets behind, the lag is reported in offsets instead of counting the records. */
    private static final long COUNT_LIMIT = 100_000;

    /**
     * Records in the sink's topics above its committed offsets: for the S3 sink, records not yet in
     * S3. Counted with a read_committed consumer, because transaction commit markers (lake topics
     * are written in transactions) take offsets that no record fills, so end minus committed
     * offsets overstates the lag by one per transaction. Very large lags are reported in offsets.
     */
    String sinkLag(Admin admin, String connector) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + connector)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.forEach((tp, o) -> {
            if (o != null) {
                latest.put(tp, OffsetSpec.latest());
            }
        });
        if (latest.isEmpty()) {
            return "nothing committed yet";
        }
        Map<TopicPartition, Long> end = admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        long offsets = end.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - committed.get(e.getKey()).offset())).sum();
        if (offsets > COUNT_LIMIT) {
            return String.format("%,d offsets behind", offsets);
        }
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> behind = end.keySet().stream()
                    .filter(tp -> end.get(tp) > committed.get(tp).offset()).toList();
            reader.assign(behind);
            behind.forEach(tp -> reader.seek(tp, committed.get(tp).offset()));
            while (behind.stream().anyMatch(tp -> reader.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    records += r.offset() < end.get(new TopicPartition(r.topic(), r.partition())) ? 1 : 0;
                }
            }
        }
        return String.format("%,d records not yet committed", records);
    }
}
