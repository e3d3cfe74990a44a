package io.tributary.devstack.kafka;

import static io.tributary.devstack.Errors.rootMessage;

import io.tributary.devstack.Health;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.StackException;
import io.tributary.devstack.process.DevStackBuild;
import io.tributary.devstack.process.JavaProcess;
import io.tributary.devstack.process.ProcessComponent;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka broker in KRaft combined mode (broker and controller in one process), run by
 * Kafka's own {@code kafka.Kafka} main. Its log dir persists under {@code <data-dir>/kafka}; the
 * first start formats it with Kafka's {@code StorageTool}.
 */
public final class KafkaBroker extends ProcessComponent {
    public static final String NAME = "kafka";
    private static final int NODE_ID = 1;

    public KafkaBroker(StackConfig config, DevStackBuild build) {
        super(NAME, List.of(), config, build);
    }

    @Override
    public Map<String, Integer> ports() {
        return Map.of("broker listener", config.kafkaPort(), "controller listener", config.controllerPort());
    }

    private Path logDir() {
        return config.dataDir().resolve("kafka");
    }

    private Path serverProperties() {
        return config.confDir().resolve("kafka-server.properties");
    }

    /** A log dir that has data but no readable meta.properties would make the broker fail obscurely. */
    @Override
    public void preflight() {
        Path meta = logDir().resolve("meta.properties");
        if (Files.exists(meta)) {
            Properties props = new Properties();
            try (Reader r = Files.newBufferedReader(meta)) {
                props.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw corrupt(meta + " cannot be read (" + e.getMessage() + ")");
            }
            if (!String.valueOf(NODE_ID).equals(props.getProperty("node.id")) || props.getProperty("cluster.id") == null) {
                throw corrupt(meta + " does not describe node " + NODE_ID + " of a formatted cluster (found: " + props + ")");
            }
        } else if (Files.isDirectory(logDir()) && hasEntries(logDir())) {
            throw corrupt(logDir() + " holds data but no meta.properties");
        }
    }

    private StackException corrupt(String what) {
        return new StackException("Kafka's data dir is corrupt: " + what + ". Move " + logDir()
                + " away, or start from empty local data with `tributary up --reset` (deletes " + config.dataDir() + ").");
    }

    private static boolean hasEntries(Path dir) {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected JavaProcess launch() {
        writeServerProperties();
        if (!Files.exists(logDir().resolve("meta.properties"))) {
            format();
        }
        return startJava(List.of("-Xms256m", "-Xmx768m"), "kafka.Kafka", List.of(serverProperties().toString()), Map.of());
    }

    private void format() {
        JavaProcess formatter = startJava(List.of("-Xmx256m"), "kafka.tools.StorageTool",
                List.of("format", "--ignore-formatted", "-t", Uuid.randomUuid().toString(), "-c",
                        serverProperties().toString()), Map.of());
        try {
            int code = formatter.waitFor(Duration.ofSeconds(60));
            if (code != 0) {
                throw new StackException("Formatting Kafka's log dir " + logDir() + " failed with exit code " + code
                        + ":\n" + formatter.logTail(15));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while formatting Kafka's log dir", e);
        }
    }

    private void writeServerProperties() {
        String host = StackConfig.HOST;
        String props = String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + NODE_ID,
                "controller.quorum.voters=" + NODE_ID + "@" + host + ":" + config.controllerPort(),
                "listeners=PLAINTEXT://" + host + ":" + config.kafkaPort() + ",CONTROLLER://" + host + ":" + config.controllerPort(),
                "advertised.listeners=PLAINTEXT://" + host + ":" + config.kafkaPort(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDir(),
                "num.partitions=1",
                // One node: every internal topic has one replica.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // Topics are created deliberately (Connect, Streams, the CLI), as in production.
                "auto.create.topics.enable=false",
                "log.retention.hours=-1",
                "log.segment.bytes=104857600",
                "");
        try {
            Files.createDirectories(config.confDir());
            Files.writeString(serverProperties(), props);
        } catch (IOException e) {
            throw new StackException("Cannot write " + serverProperties() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Health health() {
        Map<String, Object> props = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        try (Admin admin = Admin.create(props)) {
            int nodes = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
            return nodes > 0 ? Health.up(nodes + " broker(s) at " + config.bootstrapServers())
                    : Health.down("no brokers registered yet");
        } catch (Exception e) {
            return Health.down("cannot reach " + config.bootstrapServers() + ": " + rootMessage(e));
        }
    }
}
