package io.tributary.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.connect.s3.config.S3SinkConfig;
import io.tributary.connect.s3.config.S3SinkConfigTest;
import io.tributary.devstack.connect.ConnectWorker;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The packaged plugin dir loads into a real Connect worker beside Debezium. */
@ExtendWith(DevStackExtension.class)
class ConnectPluginIT {

    @Test
    void workerListsOurSinkBesideDebeziumAndValidatesItsConfig(DevStack stack) throws Exception {
        ConnectWorker worker = (ConnectWorker) stack.stack().component(ConnectWorker.NAME);
        assertThat(worker.connectorPlugins()).contains(S3ParquetSinkConnector.class.getName())
                .containsAll(ConnectWorker.DEBEZIUM_CONNECTORS);

        Map<String, String> config = new HashMap<>(S3SinkConfigTest.minimal());
        config.put("connector.class", S3ParquetSinkConnector.class.getName());
        config.put("name", "lake-sink");
        config.put("topics", "lake.app_events");
        config.put(S3SinkConfig.TIMESTAMP_EXTRACTOR, "RecordField");
        config.put(S3SinkConfig.KAFKA_BOOTSTRAP, stack.config().bootstrapServers());
        ObjectMapper json = new ObjectMapper();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        stack.config().connectUrl() + "/connector-plugins/S3ParquetSinkConnector/config/validate"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(config))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, String> errors = new HashMap<>();
        for (JsonNode c : json.readTree(response.body()).get("configs")) {
            c.at("/value/errors").forEach(e -> errors.merge(c.at("/value/name").asText(), e.asText(), (a, b) -> a + "; " + b));
        }
        assertThat(errors).containsOnlyKeys(S3SinkConfig.TIMESTAMP_FIELD);
        assertThat(errors.get(S3SinkConfig.TIMESTAMP_FIELD)).contains("RecordField needs timestamp.field");
    }
}
