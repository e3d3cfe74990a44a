package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.lake.parquet.ParquetFileWriter;
import io.tributary.schemas.registry.SchemaRegistryClients;
import io.tributary.schemas.serde.AvroDeserializer;
import io.tributary.streams.PipelinePlan;
import io.tributary.streams.TributaryTopology;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.dlq.HandlerDeadLetters;
import io.tributary.streams.dlq.RefusedRows;
import io.tributary.streams.metrics.PipelineMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Money with up to 18 significant digits, sent as JSON numbers and as strings, reaches Parquet
 * exactly: through the events topology, the lake's Avro bytes, the sink's Parquet writer, and read
 * back by DuckDB as DECIMAL(18,2). A value that would need rounding is dead-lettered instead.
 */
class ExactAmountsTest {
    private static final String TIME = "2025-11-22T03:15:30.250Z";

    @TempDir
    Path lake;

    @Test
    void amountsWithUpTo18SignificantDigitsReachParquetExactly() throws Exception {
        Map<String, String> amounts = new LinkedHashMap<>();
        amounts.put("n18", "1234567890123456.78");
        amounts.put("s18", "\"1234567890123456.78\"");
        amounts.put("n17", "-999999999999999.99");
        amounts.put("n16", "99999999999999.99");
        amounts.put("e15", "1.23456789012345678E15");
        amounts.put("cents", "0.01");
        String registry = "mock://" + UUID.randomUUID();
        PipelineConfig config = new PipelineConfig(Map.of("bootstrap.servers", "unused:9092", "schema.registry.url", registry));
        PipelineMetrics metrics = PipelineMetrics.discarding();
        RefusedRows refused = new RefusedRows();
        Properties streams = new Properties();
        streams.putAll(config.streamsProperties());
        streams.putAll(new HandlerDeadLetters(config, metrics, refused).streamsProperties());
        streams.put("state.dir", lake.resolve("state").toString());
        Path file = lake.resolve("lake/app_events/dt=2025-11-22/hour=03/lake.app_events+0+0+6.parquet");
        java.nio.file.Files.createDirectories(file.getParent());
        try (TopologyTestDriver driver = new TopologyTestDriver(TributaryTopology.events(new StreamsBuilder(), PipelinePlan.of(config), metrics, refused),
                streams)) {
            TestInputTopic<byte[], byte[]> events = driver.createInputTopic("app.events", new ByteArraySerializer(),
                    new ByteArraySerializer());
            amounts.forEach((id, amount) -> events.pipeInput(utf8("{\"event_id\":\"" + id + "\",\"event_time\":\"" + TIME
                    + "\",\"amount\":" + amount + "}"), Instant.parse(TIME)));
            events.pipeInput(utf8("{\"event_id\":\"rounded\",\"event_time\":\"" + TIME + "\",\"amount\":0.125}"), Instant.parse(TIME));
            TestOutputTopic<byte[], byte[]> rows = driver.createOutputTopic("lake.app_events", new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            List<byte[]> values = rows.readValuesToList();
            assertThat(values).hasSize(amounts.size());
            assertThat(driver.createOutputTopic("tributary.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer())
                    .readValuesToList()).hasSize(1);
            AvroDeserializer avro = new AvroDeserializer(Map.of("schema.registry.url", registry));
            GenericRecord first = avro.deserialize("lake.app_events", values.get(0));
            try (ParquetFileWriter writer = new ParquetFileWriter(file, first.getSchema(), "snappy", 1 << 20, 1 << 16)) {
                for (byte[] value : values) {
                    writer.write(avro.deserialize("lake.app_events", value));
                }
            }
        } finally {
            SchemaRegistryClients.dropMock(registry);
        }

        Map<String, String> read = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT event_id, CAST(amount AS VARCHAR), typeof(amount) FROM read_parquet('"
                     + file + "') ORDER BY event_id")) {
            while (rs.next()) {
                assertThat(rs.getString(3)).isEqualTo("DECIMAL(18,2)");
                read.put(rs.getString(1), rs.getString(2));
            }
        }
        assertThat(read).containsExactlyInAnyOrderEntriesOf(Map.of("n18", "1234567890123456.78", "s18", "1234567890123456.78",
                "n17", "-999999999999999.99", "n16", "99999999999999.99", "e15", "1234567890123456.78", "cents", "0.01"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
