package io.tributary.dev.stack;

import io.tributary.cli.common.Settings;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.StackState;
import io.tributary.devstack.connect.ConnectWorker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The local stack's endpoints as the production commands' settings, so that against it they need no
 * flags: the variables its Connect worker gets (Kafka, registry, S3, lake bucket, local-only keys),
 * the Connect REST URL, MariaDB for `cdc verify` (as its admin user) and the data dir as work dir.
 */
public final class LocalStackSettings {
    private LocalStackSettings() {
    }

    public static Settings of(StackConfig stack) {
        Map<String, String> values = new HashMap<>(ConnectWorker.environment(stack));
        values.put("TRIBUTARY_CONNECT_URL", stack.connectUrl());
        values.put("TRIBUTARY_CDC_JDBC_URL", stack.jdbcUrl());
        values.put("TRIBUTARY_CDC_VERIFY_USER", StackConfig.DB_ADMIN_USER);
        values.put("TRIBUTARY_CDC_VERIFY_PASSWORD", StackConfig.DB_ADMIN_PASSWORD);
        values.put("TRIBUTARY_WORK_DIR", stack.dataDir().toString());
        return Settings.of(values);
    }

    /** The settings of the stack running with this data dir; none when no stack runs there. */
    public static Settings running(Path dataDir) {
        return StackState.read(dataDir).filter(StackState.Running::processAlive)
                .map(running -> of(running.config())).orElse(name -> null);
    }
}
