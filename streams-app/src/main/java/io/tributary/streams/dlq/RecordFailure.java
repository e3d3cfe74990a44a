package io.tributary.streams.dlq;

/**
 * Why one input record cannot become a lake row. Thrown by parsing and coercion, caught by the
 * processor that read the record, and turned into a dead letter; never crashes the pipeline.
 */
public final class RecordFailure extends RuntimeException {
    public static final String PARSE = "parse";
    public static final String COERCE = "coerce";
    public static final String VALIDATE = "validate";
    public static final String CDC_PARSE = "cdc-parse";
    public static final String CDC_SCHEMA = "cdc-schema";
    /** An event beyond one of the events.max.* limits. */
    public static final String LIMIT = "limit";
    /** An unexpected exception in a processor, caught by Kafka Streams' processing exception handler. */
    public static final String PROCESS = "process";
    /** A row that could not be serialized or that the broker refused, seen by the production exception handler. */
    public static final String PRODUCE = "produce";
    /** The stages an app event can be dead-lettered at. */
    public static final java.util.List<String> EVENT_STAGES = java.util.List.of(PARSE, LIMIT, COERCE, VALIDATE, PROCESS, PRODUCE);
    /** The stages a CDC change can be dead-lettered at. */
    public static final java.util.List<String> CDC_STAGES = java.util.List.of(CDC_PARSE, CDC_SCHEMA, PROCESS, PRODUCE);

    private final String stage;

    public RecordFailure(String stage, String message) {
        super(message, null, false, false);
        this.stage = stage;
    }

    public RecordFailure(String stage, String message, Throwable cause) {
        super(message, cause, false, false);
        this.stage = stage;
    }

    public String stage() {
        return stage;
    }

    /** Parses JSON bytes; a failure is this stage's {@code RecordFailure}, never an exception that stops the app. */
    public static com.fasterxml.jackson.databind.JsonNode readJson(com.fasterxml.jackson.databind.ObjectMapper json, byte[] bytes,
            String stage) {
        try {
            com.fasterxml.jackson.databind.JsonNode root = json.readTree(bytes);
            if (root == null || root.isMissingNode()) {
                throw new RecordFailure(stage, "the record is empty");
            }
            return root;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RecordFailure(stage, SafeErrorText.invalidJson(e), e);
        } catch (java.io.IOException e) {
            throw new RecordFailure(stage, "cannot read the record: " + SafeErrorText.classes(e), e);
        }
    }

    /** The class named in dead-letter headers: the underlying error's when there is one. */
    public String errorClass() {
        return getCause() != null ? getCause().getClass().getName() : getClass().getName();
    }
}
