package io.tributary.ops.cdc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.StackException;
import io.tributary.devstack.StackState;
import io.tributary.ops.connectors.ApplyCommand;
import io.tributary.ops.connectors.ConnectorFile;
import io.tributary.ops.lake.LocalLake;
import io.tributary.ops.stack.StackOptions;
import io.tributary.streams.metrics.MetricsServer;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * `tributary cdc verify`: each CDC table's current state in the database against its current state
 * in the lake, by key range checksums, drilling down to the keys that differ; {@code --heal} repairs
 * them, {@code --every} runs it as a service with {@code tributary_cdc_divergent_rows{table}}.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare each CDC table's current rows in the database with the lake's (row count and checksum "
                + "per key range, then the differing keys); --heal repairs the differences.",
                "Exit code: 0 no divergence, 1 divergent rows (after --heal: not healed)."})
public final class CdcVerifyCommand implements Callable<Integer> {
    private static final Duration HEAL_POLL = Duration.ofSeconds(10);

    @Mixin
    StackOptions stack;

    @Option(names = "--table", paramLabel = "DB.TABLE",
            description = "A table to verify (repeatable; default: every table the Debezium connector config captures).")
    List<String> tables = new ArrayList<>();

    @Option(names = "--environment", defaultValue = "local",
            description = "Which connector configs name the tables and the signal table: local or production (default ${DEFAULT-VALUE}).")
    String environment;

    @Option(names = "--dir", paramLabel = "DIR", description = "Folder of the connector JSON files (default: <repo>/connectors/config).")
    Path dir;

    @Option(names = "--jdbc-url", description = "Source database, e.g. jdbc:mariadb://mysql.internal:3306/ (default: the local stack's).")
    String jdbcUrl;

    @Option(names = "--db-user", description = "Database user: SELECT on the tables, INSERT on the signal table for --heal.")
    String dbUser;

    @Option(names = "--db-password-env", defaultValue = "TRIBUTARY_CDC_VERIFY_PASSWORD",
            description = "Environment variable holding the user's password (default ${DEFAULT-VALUE}).")
    String dbPasswordEnv;

    @Option(names = "--bucket", description = "Lake bucket (default: the local stack's).")
    String bucket;

    @Option(names = "--s3-endpoint", description = "S3 endpoint for S3-compatible servers (default: AWS, or the local stack's).")
    String s3Endpoint;

    @Option(names = "--region", description = "AWS region of the bucket (default: the AWS default chain's).")
    String region;

    @Option(names = "--topics-dir", defaultValue = "lake", description = "The sink's topics.dir (default ${DEFAULT-VALUE}).")
    String topicsDir;

    @Option(names = "--range-size", defaultValue = "10000", description = "Keys per checksummed range (integer keys; default ${DEFAULT-VALUE}).")
    long rangeSize;

    @Option(names = "--settle", defaultValue = "30s",
            description = "How long to let the pipeline catch up before a differing key counts (default ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--heal", description = "Ask Debezium for an incremental snapshot of the differing keys (deletes: "
            + "write them), wait until they reach the lake, and verify again.")
    boolean heal;

    @Option(names = "--heal-timeout", defaultValue = "5m",
            description = "How long --heal waits for the lake (default ${DEFAULT-VALUE}).")
    Duration healTimeout;

    @Option(names = "--lake-topic-prefix", defaultValue = "lake.", description = "Lake topics' prefix, for --heal's deletes (default ${DEFAULT-VALUE}).")
    String lakeTopicPrefix;

    @Option(names = "--bootstrap-servers", description = "Kafka, for --heal's deletes (default: the local stack's).")
    String bootstrapServers;

    @Option(names = "--registry-url", description = "Schema registry, for --heal's deletes (default: the local stack's).")
    String registryUrl;

    @Option(names = "--every",
            description = "Run as a service: verify every interval and serve /metrics with tributary_cdc_divergent_rows{table}.")
    Duration every;

    @Option(names = "--metrics-port", defaultValue = "18092", description = "Port of /metrics and /health with --every (default ${DEFAULT-VALUE}, on 127.0.0.1).")
    int metricsPort;

    @Spec
    CommandSpec spec;

    /** Divergent rows per table at the last verification, which --every exports. */
    private final Map<String, Long> gauges = new ConcurrentHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        StackConfig local = jdbcUrl == null ? runningLocalStack() : null;
        CapturedTables captured = CapturedTables.of(ConnectorFile.load(dir != null ? dir : ApplyCommand.defaultDir(), environment));
        List<String> toVerify = tables.isEmpty() ? captured.tables() : tables;
        try (S3Client s3 = s3(local);
             SourceDatabase db = new SourceDatabase(jdbcUrl != null ? jdbcUrl : local.jdbcUrl(), user(local), password(local));
             LakeState lake = new LakeState(s3, bucket != null ? bucket : local.bucket(), topicsDir,
                     LakeState.defaultMirror(stack.dataDir()))) {
            CdcVerifier verifier = new CdcVerifier(db, lake, rangeSize, settle);
            if (every == null) {
                return pass(verifier, db, lake, toVerify, captured, local, out) ? 0 : 1;
            }
            return serve(verifier, db, lake, toVerify, captured, local, out);
        }
    }

    /** One verification (and healing) of every table; true when none diverges at the end. */
    private boolean pass(CdcVerifier verifier, SourceDatabase db, LakeState lake, List<String> toVerify,
            CapturedTables captured, StackConfig local, PrintWriter out) throws Exception {
        boolean clean = true;
        for (String table : toVerify) {
            VerifiedTable t = verifier.describe(table, CapturedTables.lakeTable(table));
            Divergence d = verifier.verify(t);
            d.lines().forEach(out::println);
            out.flush();
            if (heal && d.divergentRows() > 0) {
                d = heal(verifier, db, lake, t, d, captured, local, out);
            }
            clean &= d.divergentRows() == 0;
            gauges.put(table, (long) d.divergentRows());
        }
        return clean;
    }

    private Divergence heal(CdcVerifier verifier, SourceDatabase db, LakeState lake, VerifiedTable t, Divergence d,
            CapturedTables captured, StackConfig local, PrintWriter out) throws Exception {
        String bootstrap = bootstrapServers != null ? bootstrapServers : local.bootstrapServers();
        String registry = registryUrl != null ? registryUrl : local.registryUrl();
        LakeDeletes deletes = new LakeDeletes(Map.of("bootstrap.servers", bootstrap, "acks", "all"), registry);
        CdcHealer healer = new CdcHealer(db, captured.signalTable(), deletes);
        healer.heal(t, d, lake, lakeTopicPrefix + t.lakeTable()).forEach(line -> out.println("  heal: " + line));
        out.flush();
        Instant deadline = Instant.now().plus(healTimeout);
        CdcVerifier quick = new CdcVerifier(db, lake, rangeSize, Duration.ZERO);
        Divergence now = d;
        while (Instant.now().isBefore(deadline)) {
            Thread.sleep(HEAL_POLL.toMillis());
            now = quick.verify(t);
            if (now.divergentRows() == 0) {
                break;
            }
        }
        Divergence after = verifier.verify(t);
        out.println("  after healing:");
        after.lines().forEach(line -> out.println("  " + line));
        out.flush();
        return after;
    }

    private int serve(CdcVerifier verifier, SourceDatabase db, LakeState lake, List<String> toVerify,
            CapturedTables captured, StackConfig local, PrintWriter out) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (String table : toVerify) {
            gauges.put(table, -1L);
            Gauge.builder("tributary.cdc.divergent.rows", gauges, g -> g.get(table))
                    .description("Rows whose current state differs between the source database and the lake (-1: not verified yet)")
                    .tag("table", table).register(registry);
        }
        AtomicReference<String> state = new AtomicReference<>("STARTING");
        try (MetricsServer server = new MetricsServer(metricsPort, registry,
                () -> new MetricsServer.Health(state.get(), true, !"STARTING".equals(state.get())))) {
            out.println("Verifying every " + every + "; metrics on http://127.0.0.1:" + server.port() + "/metrics");
            while (true) {
                try {
                    state.set(pass(verifier, db, lake, toVerify, captured, local, out) ? "CLEAN" : "DIVERGENT");
                } catch (StackException e) {
                    out.println("error: " + e.getMessage());
                    state.set("FAILED");
                }
                out.flush();
                Thread.sleep(every.toMillis());
            }
        }
    }

    private StackConfig runningLocalStack() {
        return StackState.read(stack.dataDir()).filter(StackState.Running::processAlive).map(StackState.Running::config)
                .orElseThrow(() -> new StackException("No local stack is running with data dir " + stack.dataDir()
                        + ": start one (`./tributary up --detach`), or point --jdbc-url, --bucket and the other "
                        + "options at your database and lake"));
    }

    private String user(StackConfig local) {
        if (dbUser != null) {
            return dbUser;
        }
        if (local != null) {
            return StackConfig.DB_ADMIN_USER;
        }
        throw new StackException("--db-user is required with --jdbc-url");
    }

    private String password(StackConfig local) {
        String password = System.getenv(dbPasswordEnv);
        if (password != null) {
            return password;
        }
        if (local != null) {
            return StackConfig.DB_ADMIN_PASSWORD;
        }
        throw new StackException("Set the database password in the environment variable " + dbPasswordEnv);
    }

    private S3Client s3(StackConfig local) {
        if (local != null && s3Endpoint == null) {
            return LocalLake.client(local);
        }
        var builder = S3Client.builder();
        if (region != null) {
            builder.region(Region.of(region));
        }
        if (s3Endpoint != null) {
            builder.endpointOverride(URI.create(s3Endpoint)).forcePathStyle(true);
        }
        return builder.build();
    }
}
