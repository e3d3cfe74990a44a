package io.tributary.ops.connectors;

import io.tributary.devstack.StackConfig;
import io.tributary.devstack.StackState;
import io.tributary.ops.stack.StackOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which Connect worker and Kafka cluster a connectors command talks to: the local stack unless told otherwise. */
public final class ConnectTarget {
    @Mixin
    StackOptions stack;

    @Option(names = "--connect-url", paramLabel = "URL",
            description = "Connect REST URL (default: the local stack's, e.g. http://127.0.0.1:18083).")
    String connectUrl;

    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS",
            description = "Kafka bootstrap servers, for sink lag (default: the local stack's).")
    String bootstrapServers;

    private StackConfig local() {
        return StackState.read(stack.dataDir()).filter(StackState.Running::processAlive).map(StackState.Running::config)
                .orElseGet(stack::toConfig);
    }

    public String connectUrl() {
        return connectUrl != null ? connectUrl : local().connectUrl();
    }

    public String bootstrapServers() {
        return bootstrapServers != null ? bootstrapServers : local().bootstrapServers();
    }
}
