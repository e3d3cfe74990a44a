package io.tributary.cli.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cli.common.KafkaTarget;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

    /** For the sinks' lag. */
    @Mixin
    KafkaTarget kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ConnectRestClient rest = target.rest();
        boolean allRunning = true;
        Map<String, Object> clients = kafka.clientProperties();
        try (Admin admin = Admin.create(clients)) {
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
                    out.printf("  lag: %s%n", new SinkLag(admin, clients).describe(name));
                }
            }
        }
        return allRunning ? 0 : 1;
    }
}
