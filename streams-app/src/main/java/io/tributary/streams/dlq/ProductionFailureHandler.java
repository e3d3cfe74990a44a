package io.tributary.streams.dlq;

import io.tributary.schemas.registry.SchemaRegistryException;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' production exception handler of both apps. A row that cannot be serialized (for
 * one, larger than {@code lake.max.row.bytes}) is dead-lettered at stage {@code produce} with its
 * input record. A row the broker refuses (too large for the topic, a timestamp it does not accept)
 * is remembered in {@link RefusedRows} and fails the stream thread; the app replaces the thread,
 * which replays from its last commit and dead-letters the row when it serializes it again. A size
 * refusal reaches every row of the batch it was sent in: only a row too large for the topic on its
 * own ({@link TopicLimits}) is remembered, the others are sent again on the replay.
 * Retriable send errors are retried; anything else (the schema registry or the broker failing,
 * authorization) is not the record's fault and stops the app, which resumes from its last commit
 * when restarted.
 */
public final class ProductionFailureHandler implements ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProductionFailureHandler.class);
    private HandlerDeadLetters deadLetters;
    private String applicationId;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = HandlerDeadLetters.from(configs);
        applicationId = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
            SerializationExceptionOrigin origin) {
        if (causedBy(exception, SchemaRegistryException.class) || deadLetters.isDeadLetterTopic(record.topic())) {
            LOG.error("Cannot write to {}: {}; stopping, as this is not the record's fault", record.topic(),
                    SafeErrorText.classes(exception));
            return Response.fail();
        }
        String message = exception instanceof RowRejected ? exception.getMessage()
                : "cannot serialize the row for " + record.topic() + ": " + SafeErrorText.classes(exception);
        LOG.warn("Dead-lettered the record at {} partition {} offset {}: {}", context.topic(), context.partition(),
                context.offset(), message);
        return Response.resume(deadLetters.deadLetter(context, RecordFailure.PRODUCE, exception, message));
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        boolean deadLetterTopic = deadLetters.isDeadLetterTopic(record.topic());
        if (!deadLetterTopic && isTheRowsFault(record, exception)) {
            deadLetters.refused().refused(applicationId, record.topic(), record.value(), exception.getClass().getSimpleName()
                    + " (" + size(record) + " bytes)");
            LOG.warn("The broker refused a row for {} ({}); the stream thread restarts from its last commit and "
                    + "dead-letters that row", record.topic(), exception.getClass().getSimpleName());
        } else if (deadLetterTopic || !isSizeRefusal(exception)) {
            LOG.error("Cannot write to {}: {}; stopping, as this is not the record's fault", record.topic(),
                    SafeErrorText.classes(exception));
        } // else a row refused with one too large in its batch: sent again on the replay
        return Response.fail();
    }

    /**
     * Invalid timestamps and records are reported per record (the rest of the batch gets another
     * error); a size refusal, for the batch: then the row is at fault only if it is too large alone.
     */
    private boolean isTheRowsFault(ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof InvalidTimestampException || exception instanceof InvalidRecordException) {
            return true;
        }
        if (isSizeRefusal(exception)) {
            int limit = deadLetters.topicLimits().maxMessageBytes(record.topic());
            return limit > 0 && size(record) + TopicLimits.RECORD_OVERHEAD > limit;
        }
        return false;
    }

    private static boolean isSizeRefusal(Exception exception) {
        return exception instanceof RecordTooLargeException || exception instanceof RecordBatchTooLargeException;
    }

    private static int size(ProducerRecord<byte[], byte[]> record) {
        int size = (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
        for (org.apache.kafka.common.header.Header h : record.headers()) {
            size += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
