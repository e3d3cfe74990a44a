package io.tributary.ops.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.devstack.connect.ConnectRestClient;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * `tributary connectors status`: each connector's state, its tasks, the first lines of a failed
 * task's trace, and for sinks the lag (records in their topics not yet committed, which for the S3
 * sink means not yet in S3). Exit code 0 when everything runs, 1 otherwise.
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
                    out.printf("  lag: %,d records not yet committed%n", sinkLag(admin, name));
                }
            }
        }
        return allRunning ? 0 : 1;
    }

    /** End offsets minus the committed offsets of the sink's consumer group, over the partitions it has committed. */
    static long sinkLag(Admin admin, String connector) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + connector)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        if (latest.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, Long> end = admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        long lag = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
            if (e.getValue() != null) {
                lag += Math.max(0, end.get(e.getKey()) - e.getValue().offset());
            }
        }
        return lag;
    }
}
