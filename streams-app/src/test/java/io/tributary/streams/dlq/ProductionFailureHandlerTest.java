package io.tributary.streams.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.metrics.PipelineMetrics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/**
 * What the production exception handler decides for send errors, which only a real broker causes:
 * a refusal that is the row's fault is remembered and restarts the thread; a retriable error is
 * retried; anything else stops the app without blaming the record.
 */
class ProductionFailureHandlerTest {
    private static final String APP = "tributary-pipeline";
    private final RefusedRows refused = new RefusedRows();
    private final ProductionFailureHandler handler = new ProductionFailureHandler();
    private final byte[] row = "a row".getBytes(StandardCharsets.UTF_8);
    private final ProducerRecord<byte[], byte[]> lakeRow = new ProducerRecord<>("lake.app_events", null, row);

    ProductionFailureHandlerTest() {
        PipelineConfig config = new PipelineConfig(Map.of("bootstrap.servers", "k:9092", "schema.registry.url", "mock://handler"));
        Map<String, Object> configs = new HashMap<>(new HandlerDeadLetters(config, PipelineMetrics.discarding(), refused)
                .streamsProperties());
        configs.put("application.id", APP);
        handler.configure(configs);
    }

    /** Invalid timestamps are reported per record: the row is remembered and its thread restarts. */
    @Test
    void aRowTheBrokerRefusesIsRememberedAndItsThreadRestarts() {
        assertThat(handler.handleError(context(), lakeRow, new InvalidTimestampException("out of range")).result())
                .isEqualTo(Result.FAIL);
        assertThat(refused.takeRestart(APP)).isTrue();
        assertThat(refused.take("lake.other", row)).as("another topic's row").isNull();
        assertThat(refused.take("lake.app_events", row)).isEqualTo("InvalidTimestampException (5 bytes)");
        assertThat(refused.take("lake.app_events", row)).as("forgotten once replayed").isNull();
    }

    /**
     * A size refusal reaches the whole batch: a row is remembered only if it is too large for the
     * topic alone, which takes the topic's limit from the brokers (BadInputIT); without it, nothing.
     */
    @Test
    void aSizeRefusalWithoutTheTopicsLimitBlamesNoRow() {
        assertThat(handler.handleError(context(), lakeRow, new RecordTooLargeException("too large")).result()).isEqualTo(Result.FAIL);
        assertThat(refused.takeRestart(APP)).isFalse();
        assertThat(refused.take("lake.app_events", row)).isNull();
    }

    @Test
    void retriableErrorsAreRetriedAndOthersStopTheAppWithoutBlamingTheRecord() {
        assertThat(handler.handleError(context(), lakeRow, new NotEnoughReplicasException("later")).result()).isEqualTo(Result.RETRY);
        assertThat(handler.handleError(context(), lakeRow, new TopicAuthorizationException("no")).result()).isEqualTo(Result.FAIL);
        ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>("tributary.dlq", null, row);
        assertThat(handler.handleError(context(), deadLetter, new RecordTooLargeException("too large")).result()).isEqualTo(Result.FAIL);
        assertThat(refused.takeRestart(APP)).isFalse();
        assertThat(refused.take("tributary.dlq", row)).isNull();
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            public String topic() {
                return "app.events";
            }

            public int partition() {
                return 0;
            }

            public long offset() {
                return 7;
            }

            public Headers headers() {
                return new RecordHeaders();
            }

            public String processorNodeId() {
                return "lake-app_events";
            }

            public TaskId taskId() {
                return new TaskId(0, 0);
            }

            public long timestamp() {
                return 1L;
            }

            public byte[] sourceRawKey() {
                return null;
            }

            public byte[] sourceRawValue() {
                return null;
            }
        };
    }
}
