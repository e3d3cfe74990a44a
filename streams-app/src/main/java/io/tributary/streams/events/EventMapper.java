package io.tributary.streams.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.streams.dlq.RecordFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns the bytes of one JSON event into a row of the events contract: parse, flatten, coerce every
 * declared column, keep undeclared fields in {@code extra}, and apply the PII policy. Columns
 * filled later (enrichment targets and the status) are left for the enricher.
 */
public final class EventMapper {
    public static final String EXTRA = "extra";
    public static final String ENRICHMENT_STATUS = "_enrichment";

    /** A mapped event: the row, its event time and key, and how many fields went to extra. */
    public record MappedEvent(GenericRecord row, long eventTime, String key, int unknownFields) {
    }

    /** A contract column this mapper fills, resolved once: its non-null type and whether it is PII. */
    private record Column(Schema.Field field, Schema type, boolean sensitive) {
    }

    /**
     * The leaves of one event sorted as they are read: contract columns by position, the rest into
     * {@code extra} in document order. The first name two leaves flatten to is kept for the error,
     * which is raised once the whole document has parsed (a syntax error further on wins).
     */
    private final class Leaves implements JsonFlattener.Leaves {
        final JsonNode[] byPosition = new JsonNode[contract.getFields().size()];
        final Map<String, String> extra = new LinkedHashMap<>();
        String collision;

        @Override
        public void leaf(String name, JsonNode value) {
            Schema.Field field = contract.getField(name);
            boolean taken = field == null
                    ? extra.putIfAbsent(name, JsonFlattener.text(value)) != null
                    : byPosition[field.pos()] != null;
            if (taken) {
                collision = collision == null ? name : collision;
            } else if (field != null) {
                byPosition[field.pos()] = value;
            }
        }
    }

    private final Schema contract;
    private final Set<String> filledLater;
    private final java.util.List<Column> columns;
    private final String timeField;
    private final String keyField;
    private final PiiPolicy pii;
    private final long maxFutureMs;
    private final JsonFlattener flattener = new JsonFlattener();

    public EventMapper(Schema contract, Set<String> enrichedFields, String timeField, String keyField, PiiPolicy pii,
            long maxFutureMs) {
        this.maxFutureMs = maxFutureMs;
        this.contract = contract;
        this.filledLater = new java.util.HashSet<>(enrichedFields);
        this.filledLater.add(EXTRA);
        this.filledLater.add(ENRICHMENT_STATUS);
        this.timeField = timeField;
        this.keyField = keyField;
        this.pii = pii;
        for (String required : new String[] {EXTRA, ENRICHMENT_STATUS, timeField}) {
            if (contract.getField(required) == null) {
                throw new IllegalArgumentException("The contract " + contract.getFullName() + " has no field '" + required + "'");
            }
        }
        Schema time = contract.getField(timeField).schema();
        if (time.isNullable() || !(time.getLogicalType() instanceof org.apache.avro.LogicalTypes.TimestampMillis)) {
            throw new IllegalArgumentException("The event time field '" + timeField + "' must be a required "
                    + "timestamp-millis column of " + contract.getFullName() + ", not " + time);
        }
        contract.getFields().stream().filter(f -> !filledLater.contains(f.name())).forEach(ValueCoercion::requireSupported);
        pii.requireCompatible(contract);
        this.columns = contract.getFields().stream().filter(f -> !filledLater.contains(f.name()))
                .map(f -> new Column(f, ValueCoercion.nonNull(f.schema()), pii.isSensitive(f.name()))).toList();
    }

    public MappedEvent map(byte[] bytes) {
        if (bytes == null) {
            throw new RecordFailure(RecordFailure.PARSE, "the record has no value (null)");
        }
        Leaves flat = new Leaves();
        flattener.flatten(bytes, flat);
        if (flat.collision != null) {
            throw new RecordFailure(RecordFailure.VALIDATE, "two fields flatten to the same column '" + flat.collision
                    + "' (a key repeated, or e.g. a_b next to a:{b}); rename one of them at the producer");
        }
        GenericRecord row = new GenericData.Record(contract);
        for (Column c : columns) {
            JsonNode v = flat.byPosition[c.field().pos()];
            if (v == null || v.isNull()) {
                if (!c.field().schema().isNullable()) {
                    throw new RecordFailure(RecordFailure.VALIDATE, "required field " + c.field().name() + " is missing or null");
                }
                continue;
            }
            row.put(c.field().pos(), ValueCoercion.coerce(c.field().name(), v, c.type(), c.sensitive()));
        }
        Map<String, String> extra = flat.extra;
        int unknown = extra.size();
        pii.apply(row, extra);
        row.put(EXTRA, extra);
        row.put(ENRICHMENT_STATUS, "ok");
        long eventTime = (Long) row.get(timeField);
        if (eventTime > System.currentTimeMillis() + maxFutureMs) {
            throw new RecordFailure(RecordFailure.VALIDATE, "field " + timeField + " is " + java.time.Instant.ofEpochMilli(eventTime)
                    + ", more than events.max.future.ms=" + maxFutureMs + " ahead of now; the producer's clock is wrong");
        }
        Object key = keyField.isEmpty() ? null : row.get(keyField);
        return new MappedEvent(row, eventTime, key == null ? null : key.toString(), unknown);
    }
}
