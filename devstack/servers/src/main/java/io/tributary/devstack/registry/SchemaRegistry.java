package io.tributary.devstack.registry;

import static io.tributary.devstack.Errors.rootMessage;

import io.tributary.devstack.Health;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.kafka.KafkaBroker;
import io.tributary.devstack.process.DevStackBuild;
import io.tributary.devstack.process.JavaProcess;
import io.tributary.devstack.process.ProcessComponent;
import io.tributary.schemas.registry.RestSchemaRegistryClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The local schema registry; its state lives in the compacted topic {@value #TOPIC}. */
public final class SchemaRegistry extends ProcessComponent {
    public static final String NAME = "registry";
    public static final String TOPIC = "_schemas";

    public SchemaRegistry(StackConfig config, DevStackBuild build) {
        super(NAME, List.of(KafkaBroker.NAME), config, build);
    }

    @Override
    public Map<String, Integer> ports() {
        return Map.of("schema registry", config.registryPort());
    }

    @Override
    protected JavaProcess launch() {
        return startJava(List.of("-Xmx256m"), SchemaRegistryMain.class.getName(), List.of(StackConfig.HOST,
                String.valueOf(config.registryPort()), config.bootstrapServers(), TOPIC), Map.of());
    }

    @Override
    public Health health() {
        try {
            int subjects = new RestSchemaRegistryClient(config.registryUrl(), Duration.ofSeconds(2)).subjects().size();
            return Health.up(config.registryUrl() + " serves " + subjects + " subject(s)");
        } catch (RuntimeException e) {
            return Health.down("cannot reach " + config.registryUrl() + ": " + rootMessage(e));
        }
    }
}
