package io.tributary.streams;

import io.tributary.streams.config.PipelineConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the lake and dead-letter topics the app writes, when they do not exist yet. */
final class LakeTopicsProvisioner {
    private LakeTopicsProvisioner() {
    }

    static List<String> outputs(LakeTopics topics) {
        List<String> out = new ArrayList<>();
        out.add(topics.lake(topics.eventsTable()));
        topics.cdcTopicsByTable().keySet().forEach(t -> out.add(topics.lake(t)));
        out.add(topics.lakeDeadLetters());
        out.add(topics.deadLetters());
        return out;
    }

    static void ensure(PipelineConfig config, LakeTopics topics) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", String.join(",", config.getList(PipelineConfig.BOOTSTRAP_SERVERS))))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = outputs(topics).stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, Optional.of(config.outputPartitions()), Optional.of(config.outputReplication())))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create the lake topics: " + e.getCause().getMessage(), e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + config.getList(PipelineConfig.BOOTSTRAP_SERVERS)
                    + " did not answer within 30 s; check bootstrap.servers", e);
        }
    }
}
