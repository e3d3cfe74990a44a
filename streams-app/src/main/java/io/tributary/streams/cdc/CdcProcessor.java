package io.tributary.streams.cdc;

import io.tributary.schemas.registry.SchemaRegistryClients;
import io.tributary.streams.config.Lookup;
import io.tributary.streams.dlq.DeadLetter;
import io.tributary.streams.dlq.Outcome;
import io.tributary.streams.dlq.RecordFailure;
import io.tributary.streams.dlq.RecordOrigin;
import io.tributary.streams.metrics.PipelineMetrics;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads the Debezium change events of one table. Each becomes a changelog row of the table's lake
 * schema (evolved when the source added a column), timestamped with the commit time, unless it is a
 * change Debezium sent again after a restart ({@link AppliedPositions}): those are counted and
 * dropped. Failures (including a change without the key column of a lookup on this table) become
 * dead letters, or, for incompatible schema changes under the halt policy, stop the app.
 */
public final class CdcProcessor implements Processor<byte[], byte[], String, Outcome> {
    private final String table;
    private final Map<String, String> registryConfigs;
    private final String lakeTopicPrefix;
    private final List<Lookup> lookups;
    private final boolean haltOnIncompatible;
    private final PipelineMetrics.Table metrics;
    private ProcessorContext<String, Outcome> context;
    private LakeSchemaEvolution schemas;
    private AppliedPositions applied;

    public CdcProcessor(String table, Map<String, String> registryConfigs, String lakeTopicPrefix, List<Lookup> lookups,
            boolean haltOnIncompatible, PipelineMetrics metrics) {
        this.table = table;
        this.registryConfigs = registryConfigs;
        this.lakeTopicPrefix = lakeTopicPrefix;
        this.lookups = lookups;
        this.haltOnIncompatible = haltOnIncompatible;
        this.metrics = metrics.table(table);
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        this.schemas = new LakeSchemaEvolution(SchemaRegistryClients.forConfig(registryConfigs), lakeTopicPrefix);
        this.applied = new AppliedPositions(context.getStateStore(AppliedPositions.storeName(table)));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            metrics.tombstone(); // Debezium's delete tombstone: the delete itself came just before
            return;
        }
        try {
            ChangeEvent change = ChangeEvent.parse(record.value());
            ChangeEvent.Key key = ChangeEvent.Key.of(record.key());
            int sequence = applied.apply(key, change);
            if (sequence == AppliedPositions.RESENT) {
                metrics.duplicate(); // a re-send is one of the in = out + dead-lettered + duplicates
                metrics.in();
                return;
            }
            if (!change.table().equals(table)) {
                throw new RecordFailure(RecordFailure.CDC_PARSE, "change of table " + change.table()
                        + " on the topic of table " + table + "; check cdc.topics");
            }
            for (Lookup lookup : lookups) {
                requireMasterKey(lookup, change);
            }
            Schema schema = schemas.schemaFor(change);
            context.forward(new Record<>(key == null ? null : key.text(), new Outcome.Row(ChangeRows.row(change, sequence, schema)),
                    change.sourceTs()));
        } catch (RecordFailure failure) {
            if (haltOnIncompatible && RecordFailure.CDC_SCHEMA.equals(failure.stage())) {
                throw new StreamsException("Halting (cdc.schema.change.policy=halt): " + failure.getMessage()
                        + ". Fix the source table or set cdc.schema.change.policy=dead-letter.", failure);
            }
            DeadLetter dead = DeadLetter.of(table, failure, RecordOrigin.of(context, record), record.key(), record.value());
            context.forward(new Record<String, Outcome>(null, new Outcome.Failed(dead), record.timestamp()));
        }
        metrics.in(); // once the record has gone its way (see PipelineMetrics.Table#in)
    }

    /** A master without its key cannot be looked up: the change is dead-lettered (and skipped by {@code MasterHistory}). */
    private void requireMasterKey(Lookup lookup, ChangeEvent change) {
        if (lookup.masterKey(change.row()) == null) {
            throw new RecordFailure(RecordFailure.CDC_PARSE, "lookup " + lookup.name() + ": column " + lookup.keyColumn()
                    + " of table " + table + " is null, missing or not a scalar");
        }
    }
}
