package io.tributary.dev.bench;

import io.tributary.devstack.StackConfig;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.metrics.PipelineMetrics;
import io.tributary.streams.replay.InProcessPipeline;
import io.tributary.testing.AccessLogEvents;
import io.tributary.testing.DebeziumJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What `tributary bench streams` feeds the sides: the events (in one of two shapes) and the master
 * rows they refer to, and master changes while the pipeline runs, so that neither the flattener's
 * caches nor the enrichment's always hit.
 */
final class BenchInput {
    /** The events' shape. */
    enum Fixture {
        /** ~400 bytes, every field present, keys always in one order: the flattener's best case. */
        ACCESS_LOG,
        /** ~1 KB, 32 leaves, keys in a shuffled order, a fifth of the optional fields missing. */
        WIDE;

        byte[] event(int i, Instant base, long masterId) {
            return this == WIDE ? AccessLogEvents.wide(i, base, masterId) : AccessLogEvents.bench(i, base, masterId);
        }
    }

    private final Fixture fixture;
    private final int masters;
    private final int events;

    BenchInput(Fixture fixture, int masters, int events) {
        this.fixture = fixture;
        this.masters = masters;
        this.events = events;
    }

    /** Writes every master as a snapshot read, then the events, each referring to a master drawn at random. */
    void produce(StackConfig stack, String input, String mastersTopic, PrintWriter out) {
        Instant base = AccessLogEvents.benchBase(events, Instant.now());
        SplittableRandom draw = new SplittableRandom(events);
        SendFailures failures = new SendFailures();
        try (KafkaProducer<byte[], byte[]> producer = producer(stack)) {
            for (int id = 1; id <= masters; id++) {
                producer.send(new ProducerRecord<>(mastersTopic, DebeziumJson.key(id), master(id, "r", 0, base)), failures);
            }
            for (int i = 0; i < events; i++) {
                producer.send(new ProducerRecord<>(input, ("u-" + (i % 5000)).getBytes(StandardCharsets.UTF_8),
                        fixture.event(i, base, 1 + draw.nextInt(masters))), failures);
            }
        }
        failures.check("the bench's input", masters + events);
        out.printf("Produced %,d %s events of ~%,d bytes to %s, referring to %,d masters in %s.%n", events,
                fixture.name().toLowerCase().replace('_', '-'), fixture.event(0, base, 1).length, input, masters, mastersTopic);
    }

    /**
     * Changes {@code perSecond} random masters each second (a new display name, committed now) until
     * closed: the global versioned store takes writes while the pipeline looks names up in it.
     */
    AutoCloseable changeMasters(StackConfig stack, String mastersTopic, int perSecond) {
        if (perSecond <= 0) {
            return () -> { };
        }
        KafkaProducer<byte[], byte[]> producer = producer(stack);
        SplittableRandom draw = new SplittableRandom();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-master-changes"));
        int[] version = {0};
        timer.scheduleAtFixedRate(() -> {
            for (int k = 0; k < perSecond; k++) {
                int id = 1 + draw.nextInt(masters);
                producer.send(new ProducerRecord<>(mastersTopic, DebeziumJson.key(id), master(id, "u", ++version[0], Instant.now())));
            }
        }, 0, 1, TimeUnit.SECONDS);
        return () -> {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            producer.close();
        };
    }

    /** A master row as Debezium writes it (JsonConverter, schemas enabled); version 0 is the snapshot's name. */
    private static byte[] master(int id, String op, int version, Instant committed) {
        String name = version == 0 ? "ソース" + id : "ソース" + id + " (改" + version + ")";
        Map<String, Object> row = DebeziumJson.master(id, "s" + id, name, "web");
        return DebeziumJson.change("masters", op, DebeziumJson.MASTERS, row, committed.toEpochMilli());
    }

    /**
     * The events pipeline's settings for a bench run named {@code name}: its topics, the enrichment
     * of each event's source type from the masters, and the PII rules of the demo.
     */
    static Map<String, String> pipelineSettings(StackConfig stack, String name, String input, String mastersTopic) {
        Map<String, String> p = new HashMap<>();
        p.put(PipelineConfig.APPLICATION_ID, name);
        p.put(PipelineConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        p.put(PipelineConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        p.put(PipelineConfig.EVENTS_TOPIC, input);
        p.put(PipelineConfig.CDC_TOPICS, mastersTopic);
        p.put(PipelineConfig.LAKE_TOPIC_PREFIX, name + ".lake.");
        p.put(PipelineConfig.DLQ_TOPIC, name + ".dlq");
        p.put(PipelineConfig.METRICS_PORT, "0");
        p.put(PipelineConfig.LOOKUPS, "source_type");
        p.put("enrichment.source_type.event.field", "source_type_id");
        p.put("enrichment.source_type.table", "masters");
        p.put("enrichment.source_type.key.column", "id");
        p.put("enrichment.source_type.columns", "display_name:source_type_name");
        p.put(PipelineConfig.PII_DROP, "user_email");
        p.put(PipelineConfig.PII_HASH, "user_ip");
        p.put(PipelineConfig.PII_SALT, "bench-only-salt"); // bench-only, in the run's temp dir, never in the repository
        return p;
    }

    /**
     * {@code app_events} rows as the pipeline makes them from these events (the real topology, run in
     * process: flattened, enriched, PII applied), for the sink's benchmark.
     */
    List<GenericRecord> lakeRows(StackConfig stack, Path stateDir) {
        String name = "bench_rows";
        Instant base = AccessLogEvents.benchBase(events, Instant.now());
        PipelineConfig config = new PipelineConfig(pipelineSettings(stack, name, name + ".events", name + ".masters"));
        SplittableRandom draw = new SplittableRandom(events);
        List<GenericRecord> rows = new ArrayList<>(events);
        try (InProcessPipeline pipeline = InProcessPipeline.of(config, config.getString(PipelineConfig.EVENTS_TABLE), stateDir, PipelineMetrics.discarding())) {
            for (int id = 1; id <= masters; id++) {
                pipeline.history(new InProcessPipeline.Input(name + ".masters", 0, id, base.toEpochMilli(), DebeziumJson.key(id),
                        master(id, "r", 0, base), null));
            }
            for (int i = 0; i < events; i++) {
                byte[] event = fixture.event(i, base, 1 + draw.nextInt(masters));
                // Stamped with the event's own time, as a producer would: the pipeline measures an event's
                // time against its record's (events.max.future.ms).
                InProcessPipeline.Output out = pipeline.process(new InProcessPipeline.Input(name + ".events", 0, i,
                        AccessLogEvents.benchTime(base, i).toEpochMilli(), null, event, null));
                if (out.rows().size() != 1) {
                    throw new IllegalStateException("bench event " + i + " did not become one app_events row: "
                            + out.deadLetters());
                }
                rows.add(out.rows().get(0).row());
            }
        }
        return rows;
    }

    /**
     * Writes a side's pipeline {@code settings}, with a fresh state dir beside it (in the run's folder with
     * its logs, not loose in /tmp), as the properties file its JVM reads.
     */
    static Path propertiesFile(Map<String, String> settings, Path path, String comment) throws IOException {
        Properties file = new Properties();
        file.putAll(settings);
        file.put(PipelineConfig.STATE_DIR, Files.createTempDirectory(path.toAbsolutePath().getParent(), "state-").toString());
        try (Writer w = Files.newBufferedWriter(path)) {
            file.store(w, comment);
        }
        return path;
    }

    /**
     * Fast producer for writing the input (not timed). One request in flight per broker: with more, a
     * first request to a just-created partition refused before the broker has the partition
     * (NOT_LEADER_OR_FOLLOWER) is overtaken by the next one, and the broker then refuses its retries
     * as out of sequence until the delivery timeout drops its records (KAFKA-15591; waiting for a
     * leader in the metadata does not close the window).
     */
    static KafkaProducer<byte[], byte[]> producer(StackConfig stack) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers(), "linger.ms", 20,
                "batch.size", 262144, "compression.type", "lz4", "max.in.flight.requests.per.connection", 1),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}
