package io.tributary.cli.cdc;

import io.tributary.cli.aws.AwsOptions;
import io.tributary.cli.common.KafkaTarget;
import io.tributary.cli.common.SettingDefaults;
import io.tributary.cli.lake.LakeOptions;
import io.tributary.cli.lake.WorkDir;
import io.tributary.schemas.lake.LakeNames;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
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

    @Option(names = "--table", paramLabel = "DB.TABLE",
            description = "A table to verify (repeatable; default: every table the Debezium connector config captures).")
    List<String> tables = new ArrayList<>();

    @Mixin
    CdcSourceOptions source;

    @Mixin
    LakeOptions lake;

    @Mixin
    WorkDir workDir;

    @Mixin
    AwsOptions aws;

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

    @Option(names = "--lake-topic-prefix", defaultValue = LakeNames.DEFAULT_TOPIC_PREFIX,
            description = "Lake topics' prefix, for --heal's deletes (default ${DEFAULT-VALUE}).")
    String lakeTopicPrefix;

    /** For --heal's deletes. */
    @Mixin
    KafkaTarget kafka;

    @Option(names = "--registry-url", descriptionKey = "TRIBUTARY_REGISTRY_URL",
            description = "Schema registry, for --heal's deletes (env TRIBUTARY_REGISTRY_URL).")
    String registryUrl;

    @Option(names = "--every",
            description = "Run as a service: verify every interval and serve /metrics with tributary_cdc_divergent_rows{table}.")
    Duration every;

    @Option(names = "--metrics-port", defaultValue = "18092", description = "Port of /metrics and /health with --every (default ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--metrics-address", defaultValue = "127.0.0.1",
            description = "Address the /metrics server listens on (default ${DEFAULT-VALUE}: this host only).")
    String metricsAddress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CapturedTables captured = CapturedTables.of(source.connectorFiles());
        List<String> toVerify = tables.isEmpty() ? captured.tables() : tables;
        try (S3Client s3 = lake.s3(aws);
             SourceDatabase db = source.open();
             LakeState state = new LakeState(s3, lake.bucket(), lake.prefix(), workDir.dir("cdc-verify"))) {
            CdcVerifier verifier = new CdcVerifier(db, state, rangeSize, settle);
            VerifyPass pass = () -> run(verifier, db, state, toVerify, captured, out);
            if (every == null) {
                return pass.run().values().stream().allMatch(n -> n == 0) ? 0 : 1;
            }
            return new VerifyService(toVerify, metricsAddress, metricsPort).run(pass, every, out);
        }
    }

    /** One verification (and healing) of every table. */
    @FunctionalInterface
    interface VerifyPass {
        /** Divergent rows by table, after healing when asked. */
        Map<String, Integer> run() throws Exception;
    }

    private Map<String, Integer> run(CdcVerifier verifier, SourceDatabase db, LakeState state, List<String> toVerify,
            CapturedTables captured, PrintWriter out) throws Exception {
        Map<String, Integer> divergent = new java.util.LinkedHashMap<>();
        for (String table : toVerify) {
            VerifiedTable t = verifier.describe(table, CapturedTables.lakeTable(table));
            Divergence d = verifier.verify(t);
            d.lines().forEach(out::println);
            out.flush();
            if (heal && d.divergentRows() > 0) {
                d = heal(verifier, db, state, t, d, captured, out);
            }
            divergent.put(table, d.divergentRows());
        }
        return divergent;
    }

    private Divergence heal(CdcVerifier verifier, SourceDatabase db, LakeState state, VerifiedTable t, Divergence d,
            CapturedTables captured, PrintWriter out) throws Exception {
        Map<String, Object> producer = new HashMap<>(kafka.clientProperties());
        producer.put("acks", "all");
        LakeDeletes deletes = new LakeDeletes(producer, SettingDefaults.require(registryUrl, "--registry-url", "TRIBUTARY_REGISTRY_URL"));
        CdcHealer healer = new CdcHealer(db, captured.signalTable(), deletes);
        healer.heal(t, d, state, LakeNames.topic(lakeTopicPrefix, t.lakeTable())).forEach(line -> out.println("  heal: " + line));
        out.flush();
        Instant deadline = Instant.now().plus(healTimeout);
        CdcVerifier quick = new CdcVerifier(db, state, rangeSize, Duration.ZERO);
        while (Instant.now().isBefore(deadline)) {
            Thread.sleep(HEAL_POLL.toMillis());
            if (quick.verify(t).divergentRows() == 0) {
                break;
            }
        }
        Divergence after = verifier.verify(t);
        out.println("  after healing:");
        after.lines().forEach(line -> out.println("  " + line));
        out.flush();
        return after;
    }
}
