package io.tributary.streams.cdc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.schemas.registry.SchemaRegistryClients;
import io.tributary.streams.Outcome;
import io.tributary.streams.config.Lookup;
import io.tributary.streams.enrich.MasterHistory;
import io.tributary.streams.dlq.DeadLetter;
import io.tributary.streams.dlq.RecordFailure;
import io.tributary.streams.dlq.RecordOrigin;
import io.tributary.streams.metrics.PipelineMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads the Debezium change events of one table. Each becomes a changelog row of the table's lake
 * schema (evolved when the source added a column), timestamped with the commit time, plus a master
 * change for every lookup that enriches events from this table. Failures become dead letters, or,
 * for incompatible schema changes under the halt policy, stop the app.
 */
public final class CdcProcessor implements Processor<byte[], byte[], String, Outcome> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String table;
    private final String registryUrl;
    private final String lakeTopicPrefix;
    private final List<Lookup> lookups;
    private final boolean haltOnIncompatible;
    private final PipelineMetrics metrics;
    private ProcessorContext<String, Outcome> context;
    private LakeSchemaEvolution schemas;

    public CdcProcessor(String table, String registryUrl, String lakeTopicPrefix, List<Lookup> lookups,
            boolean haltOnIncompatible, PipelineMetrics metrics) {
        this.table = table;
        this.registryUrl = registryUrl;
        this.lakeTopicPrefix = lakeTopicPrefix;
        this.lookups = lookups;
        this.haltOnIncompatible = haltOnIncompatible;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        this.schemas = new LakeSchemaEvolution(SchemaRegistryClients.forUrl(registryUrl), lakeTopicPrefix);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            metrics.tombstone(table); // Debezium's delete tombstone: the delete itself came just before
            return;
        }
        metrics.in(table);
        try {
            ChangeEvent change = ChangeEvent.parse(record.value());
            if (!change.table().equals(table)) {
                throw new RecordFailure(RecordFailure.CDC_PARSE, "change of table " + change.table()
                        + " on the topic of table " + table + "; check cdc.topics");
            }
            Schema schema = schemas.schemaFor(change);
            // Build every outcome before forwarding any: one input yields all of them or one dead letter.
            List<Record<String, Outcome>> outcomes = new ArrayList<>();
            outcomes.add(new Record<>(ChangeEvent.key(record.key()), new Outcome.Row(ChangeRows.row(change, schema)),
                    change.sourceTs()));
            for (Lookup lookup : lookups) {
                outcomes.add(masterChange(lookup, change));
            }
            outcomes.forEach(context::forward);
        } catch (RecordFailure failure) {
            if (haltOnIncompatible && RecordFailure.CDC_SCHEMA.equals(failure.stage())) {
                throw new StreamsException("Halting (cdc.schema.change.policy=halt): " + failure.getMessage()
                        + ". Fix the source table or set cdc.schema.change.policy=dead-letter.", failure);
            }
            DeadLetter dead = DeadLetter.of(table, failure, RecordOrigin.of(context, record), record.key(), record.value());
            context.forward(new Record<String, Outcome>(null, new Outcome.Failed(dead), record.timestamp()));
        }
    }

    private Record<String, Outcome> masterChange(Lookup lookup, ChangeEvent change) {
        String masterKey = change.row().path(lookup.keyColumn()).asText(null);
        if (masterKey == null) {
            throw new RecordFailure(RecordFailure.CDC_PARSE, "lookup " + lookup.name() + ": column " + lookup.keyColumn()
                    + " of table " + table + " is null or missing");
        }
        ObjectNode attributes = null;
        if (!change.isDelete()) {
            attributes = JSON.createObjectNode();
            for (String column : lookup.columns().keySet()) {
                attributes.set(column, change.row().path(column));
            }
        }
        return new Record<>(masterKey, new Outcome.MasterChange(lookup.name(), MasterHistory.encode(change.op(), attributes)),
                change.sourceTs());
    }
}
