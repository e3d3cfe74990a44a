package io.tributary.streams.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.tributary.streams.dlq.RecordFailure;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns the bytes of one JSON event into a row of the events contract: parse, flatten, coerce every
 * declared column, keep undeclared fields in {@code extra}, and apply the PII policy. Columns
 * filled later (enrichment targets and the status) are left for the enricher. An event beyond the
 * {@link EventLimits}, outside the {@link EventTimeWindow}, or with text UTF-8 cannot hold (a lone
 * UTF-16 surrogate, which would otherwise reach the lake as '?') is a {@link RecordFailure}.
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
     * The leaves of one event sorted as they are read: the columns this mapper fills by position,
     * the rest (undeclared fields, and fields named like a column filled later) into {@code extra}
     * in document order. The first name two leaves flatten to is kept for the error, which is
     * raised once the whole document has parsed (a syntax error further on wins).
     */
    private final class Leaves implements JsonFlattener.Leaves<Column> {
        final JsonNode[] byPosition = new JsonNode[contract.getFields().size()];
        final Map<String, String> extra = new LinkedHashMap<>();
        final boolean mayHoldLoneSurrogates;
        int count;
        String collision;

        Leaves(boolean mayHoldLoneSurrogates) {
            this.mayHoldLoneSurrogates = mayHoldLoneSurrogates;
        }

        @Override
        public void leaf(String name, Column column, JsonNode value) {
            if (++count > limits.maxFields()) {
                throw new RecordFailure(RecordFailure.LIMIT, "the event has more than events.max.fields=" + limits.maxFields()
                        + " fields (flattened columns and extra entries)");
            }
            if (mayHoldLoneSurrogates) {
                requireWholeUnicode(name, value);
            }
            boolean taken = column == null
                    ? extra.putIfAbsent(name, JsonFlattener.text(value)) != null
                    : byPosition[column.field().pos()] != null;
            if (taken) {
                collision = collision == null ? name : collision;
            } else if (column != null) {
                byPosition[column.field().pos()] = value;
            }
        }
    }

    private final Schema contract;
    private final List<Column> columns;
    private final int extraPosition;
    private final int statusPosition;
    private final int timePosition;
    private final int keyPosition;
    private final String timeField;
    private final PiiPolicy.Columns pii;
    private final EventLimits limits;
    private final EventTimeWindow window;
    private final JsonFlattener<Column> flattener;

    public EventMapper(Schema contract, Set<String> enrichedFields, String timeField, String keyField, PiiPolicy pii,
            EventLimits limits, EventTimeWindow window) {
        this.limits = limits;
        this.window = window;
        this.contract = contract;
        Set<String> filledLater = new HashSet<>(enrichedFields);
        filledLater.add(EXTRA);
        filledLater.add(ENRICHMENT_STATUS);
        this.timeField = timeField;
        for (String required : keyField.isEmpty() ? List.of(EXTRA, ENRICHMENT_STATUS, timeField)
                : List.of(EXTRA, ENRICHMENT_STATUS, timeField, keyField)) {
            if (contract.getField(required) == null) {
                throw new IllegalArgumentException("The contract " + contract.getFullName() + " has no field '" + required + "'");
            }
        }
        Schema time = contract.getField(timeField).schema();
        if (time.isNullable() || !(time.getLogicalType() instanceof LogicalTypes.TimestampMillis)) {
            throw new IllegalArgumentException("The event time field '" + timeField + "' must be a required "
                    + "timestamp-millis column of " + contract.getFullName() + ", not " + time);
        }
        contract.getFields().stream().filter(f -> !filledLater.contains(f.name())).forEach(ValueCoercion::requireSupported);
        this.pii = pii.forContract(contract);
        this.columns = contract.getFields().stream().filter(f -> !filledLater.contains(f.name()))
                .map(f -> new Column(f, ValueCoercion.nonNull(f.schema()), pii.isSensitive(f.name()))).toList();
        Map<String, Column> byName = new HashMap<>();
        columns.forEach(c -> byName.put(c.field().name(), c));
        this.flattener = new JsonFlattener<>(byName::get, limits.maxNameLength());
        this.extraPosition = contract.getField(EXTRA).pos();
        this.statusPosition = contract.getField(ENRICHMENT_STATUS).pos();
        this.timePosition = contract.getField(timeField).pos();
        this.keyPosition = keyField.isEmpty() ? -1 : contract.getField(keyField).pos();
    }

    public MappedEvent map(byte[] bytes) {
        if (bytes == null) {
            throw new RecordFailure(RecordFailure.PARSE, "the record has no value (null)");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new RecordFailure(RecordFailure.LIMIT, "the event is " + bytes.length + " bytes, more than events.max.bytes="
                    + limits.maxBytes());
        }
        Leaves flat = new Leaves(JsonFlattener.mayHoldLoneSurrogates(bytes));
        flattener.flatten(bytes, flat);
        if (flat.collision != null) {
            throw new RecordFailure(RecordFailure.VALIDATE, "two fields flatten to the same column '" + flat.collision
                    + "' (a key repeated, or e.g. a_b next to a:{b}); rename one of them at the producer");
        }
        GenericRecord row = new GenericData.Record(contract);
        for (Column c : columns) {
            JsonNode v = flat.byPosition[c.field().pos()];
            boolean required = !c.field().schema().isNullable();
            if (v == null || v instanceof NullNode) {
                if (required) {
                    throw new RecordFailure(RecordFailure.VALIDATE, "required field " + c.field().name() + " is missing or null");
                }
                continue;
            }
            if (required && v.isTextual() && v.textValue().isEmpty()) {
                throw new RecordFailure(RecordFailure.VALIDATE, "required field " + c.field().name() + " is empty");
            }
            row.put(c.field().pos(), ValueCoercion.coerce(c.field().name(), v, c.type(), c.sensitive()));
        }
        Map<String, String> extra = flat.extra;
        int unknown = extra.size();
        pii.apply(row, extra);
        row.put(extraPosition, extra);
        row.put(statusPosition, "ok");
        long eventTime = (Long) row.get(timePosition);
        window.check(timeField, eventTime);
        Object key = keyPosition < 0 ? null : row.get(keyPosition);
        return new MappedEvent(row, eventTime, key == null ? null : key.toString(), unknown);
    }

    /** The position of the event time in rows of the contract, for whoever reads it back (the lake serializer). */
    public int timePosition() {
        return timePosition;
    }

    /** The parser refuses lone surrogates in names itself, not in string values (nor in the strings of an array's text). */
    private static void requireWholeUnicode(String name, JsonNode value) {
        if (value.isTextual() && JsonFlattener.hasLoneSurrogate(value.textValue())) {
            throw new RecordFailure(RecordFailure.PARSE, "field " + name + " holds a lone UTF-16 surrogate (a \\uD800-\\uDFFF "
                    + "escape without its pair), which UTF-8 cannot encode; send valid Unicode");
        }
    }
}
