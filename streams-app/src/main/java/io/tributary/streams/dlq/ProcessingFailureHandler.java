package io.tributary.streams.dlq;

import java.util.Map;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' processing exception handler of both apps: an exception no processor expected
 * (a record Kafka Streams refuses to create, such as one with a timestamp before 1970, or a bug)
 * dead-letters the input record at stage {@code process} instead of stopping the app. In the
 * global thread, which keeps the master history and cannot write records, the change is skipped
 * and counted ({@code tributary_master_history_skipped_total}); the changes app accounts for the same
 * record in its lake table. Messages name the exception's classes, never its text, which may quote
 * the input. Two kinds fail, as intended: a processor that means to stop the app (the CDC halt
 * policy) throws a {@link StreamsException} around its {@link RecordFailure}; and a failure of the
 * producer (a send or serialization error that {@link ProductionFailureHandler} chose to fail on)
 * surfaces in whichever record is processed next, which is not at fault.
 */
public final class ProcessingFailureHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessingFailureHandler.class);
    private HandlerDeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = HandlerDeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof StreamsException && exception.getCause() instanceof RecordFailure || fromTheProducer(exception)) {
            return Response.fail();
        }
        String where = context.topic() + " partition " + context.partition() + " offset " + context.offset();
        if (context.taskId().subtopology() < 0) { // the global thread's task
            deadLetters.metrics().masterHistorySkipped(deadLetters.tableOf(context.topic()));
            LOG.warn("Skipped the change at {} in the master history: {}", where, reason(exception));
            return Response.resume();
        }
        String message = reason(exception) + " in " + context.processorNodeId();
        LOG.warn("Dead-lettered the record at {}: {}", where, message);
        deadLetters.countInputIfItsReaderFailed(context);
        return Response.resume(deadLetters.deadLetter(context, RecordFailure.PROCESS, exception, message));
    }

    private static boolean fromTheProducer(Throwable exception) {
        for (Throwable t = exception.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof ApiException || t instanceof SerializationException) {
                return true;
            }
        }
        return false;
    }

    private static String reason(Exception exception) {
        if (exception instanceof RecordFailure failure) {
            return failure.getMessage(); // written by us, without PII values
        }
        Throwable root = SafeErrorText.rootCause(exception);
        if (root instanceof IllegalArgumentException && String.valueOf(root.getMessage()).startsWith("Timestamp may not be negative")) {
            return "the record's timestamp is before 1970-01-01T00:00:00Z (negative), which Kafka cannot store";
        }
        StackTraceElement[] at = exception.getStackTrace();
        return "unexpected " + SafeErrorText.classes(exception) + (at.length == 0 ? "" : " at " + at[0]);
    }
}
