package io.tributary.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.serde.AvroSerializer;
import io.tributary.streams.events.EventLimits;
import io.tributary.streams.events.EventMapper;
import io.tributary.streams.events.EventTimeWindow;
import io.tributary.streams.events.PiiPolicy;
import io.tributary.streams.pii.KeyedHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-event cost of the events path without Kafka: parse + flatten + coerce + PII + Avro serialize,
 * next to Jackson parsing the same bytes (the floor any JSON pipeline pays) in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventPipelineBenchmark {
    static final String EVENT = """
            {"event_id": "e-123456", "event_time": "2026-11-22T03:15:30.250Z", "event_type": "purchase",
             "user": {"id": "u-42", "email": "taro@example.jp", "ip": "203.0.113.7",
                      "profile": {"plan": "pro", "address": {"country": "JP", "city": "東京都渋谷区"}}},
             "source_type_id": 7,
             "request": {"path": "/checkout", "method": "POST", "status": 201, "latency_ms": 12.5},
             "amount": "1200.50", "tags": ["sale", "初売り"], "campaign": {"name": "冬", "score": 3}}""";

    private final ObjectMapper json = new ObjectMapper();
    private byte[] bytes;
    private EventMapper mapper;
    private AvroSerializer serializer;

    @Setup
    public void setUp() {
        bytes = EVENT.getBytes(StandardCharsets.UTF_8);
        PiiPolicy pii = new PiiPolicy(Set.of("user_email"), Set.of("user_ip"), new KeyedHash("bench-salt"));
        mapper = new EventMapper(Contracts.schema(Contracts.APP_EVENTS), Set.of("source_type_name", "source_type_category"),
                "event_time", "user_id", pii, new EventLimits(1_000_000, 1000, 255), new EventTimeWindow(0, Long.MAX_VALUE / 2));
        serializer = new AvroSerializer(Map.of("schema.registry.url", "mock://bench"), false);
    }

    @Benchmark
    public byte[] parseFlattenCoerceSerialize() {
        return serializer.serialize("lake.app_events", mapper.map(bytes).row());
    }

    @Benchmark
    public JsonNode baselineJacksonParseOnly() throws IOException {
        return json.readTree(bytes);
    }
}
