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
 * which replays from its last commit and dead-letters the row when it serializes it again.
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
        boolean theRecordsFault = exception instanceof RecordTooLargeException || exception instanceof RecordBatchTooLargeException
                || exception instanceof InvalidTimestampException || exception instanceof InvalidRecordException;
        if (theRecordsFault && !deadLetters.isDeadLetterTopic(record.topic())) {
            deadLetters.refused().refused(applicationId, record.topic(), record.value(), exception.getClass().getSimpleName()
                    + " (" + (record.value() == null ? 0 : record.value().length) + " bytes)");
            LOG.warn("The broker refused a row for {} ({}); the stream thread restarts from its last commit and "
                    + "dead-letters that row", record.topic(), exception.getClass().getSimpleName());
        } else {
            LOG.error("Cannot write to {}: {}; stopping, as this is not the record's fault", record.topic(),
                    SafeErrorText.classes(exception));
        }
        return Response.fail();
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
