package io.tributary.streams;

import io.tributary.streams.config.DashboardSettings;
import io.tributary.streams.config.LakeTopics;
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
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Prepares the topics before the topology starts: waits for the source topics (Kafka Streams would
 * otherwise fail its assignment) and creates the lake and dead-letter topics the app writes, and the
 * dashboard aggregates' topics: compacted (a row per bucket and group is all a reader needs) with
 * time retention by bucket start.
 */
final class LakeTopicsProvisioner {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LakeTopicsProvisioner.class);
    private LakeTopicsProvisioner() {
    }

    private static Set<String> awaitSources(Admin admin, PipelineConfig config, LakeTopics topics)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        long deadline = System.currentTimeMillis() + config.sourceTopicsWait().toMillis();
        while (true) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> missing = sources(topics).stream().filter(t -> !existing.contains(t)).toList();
            if (missing.isEmpty()) {
                return existing;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("The source topics " + missing + " do not exist after waiting "
                        + config.sourceTopicsWait().toSeconds() + " s. Start the Debezium connectors and the applications "
                        + "that create them, or fix events.topic / cdc.topics.");
            }
            LOG.info("Waiting for the source topics {} to exist (created by the applications and the Debezium connectors) ...", missing);
            Thread.sleep(2000);
        }
    }

    static List<String> outputs(LakeTopics topics) {
        List<String> out = new ArrayList<>();
        out.add(topics.lake(topics.eventsTable()));
        topics.cdcTopicsByTable().keySet().forEach(t -> out.add(topics.lake(t)));
        out.add(topics.lakeDeadLetters());
        out.add(topics.deadLetters());
        return out;
    }

    static List<String> sources(LakeTopics topics) {
        List<String> in = new ArrayList<>();
        in.add(topics.events());
        in.addAll(topics.cdcTopicsByTable().values());
        return in;
    }

    static void ensure(PipelineConfig config, LakeTopics topics, DashboardSettings dashboards) throws InterruptedException {
        try (Admin admin = Admin.create(config.adminConfigs(config.getString(PipelineConfig.APPLICATION_ID) + "-provisioner"))) {
            Set<String> existing = awaitSources(admin, config, topics);
            List<NewTopic> missing = new ArrayList<>(outputs(topics).stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, Optional.of(config.outputPartitions()), Optional.of(config.outputReplication())))
                    .toList());
            Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + ","
                    + TopicConfig.CLEANUP_POLICY_DELETE, TopicConfig.RETENTION_MS_CONFIG, String.valueOf(dashboards.retentionMs()));
            dashboards.aggregates().stream().map(dashboards::topic).filter(t -> !existing.contains(t))
                    .forEach(t -> missing.add(new NewTopic(t, Optional.of(config.outputPartitions()),
                            Optional.of(config.outputReplication())).configs(compacted)));
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
