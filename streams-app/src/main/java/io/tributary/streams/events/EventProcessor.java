package io.tributary.streams.events;

import io.tributary.streams.dlq.DeadLetter;
import io.tributary.streams.dlq.Outcome;
import io.tributary.streams.dlq.RecordFailure;
import io.tributary.streams.dlq.RecordOrigin;
import io.tributary.streams.metrics.PipelineMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads raw JSON events: each becomes either a contract row, keyed by its entity and timestamped
 * with its event time, or a dead letter stamped with where it came from.
 */
public final class EventProcessor implements Processor<byte[], byte[], String, Outcome> {
    private final String table;
    private final EventMapper mapper;
    private final PipelineMetrics.Table metrics;
    private ProcessorContext<String, Outcome> context;

    public EventProcessor(String table, EventMapper mapper, PipelineMetrics metrics) {
        this.table = table;
        this.mapper = mapper;
        this.metrics = metrics.table(table);
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        try {
            EventMapper.MappedEvent event = mapper.map(record.value());
            metrics.unknownFields(event.unknownFields());
            context.forward(new Record<String, Outcome>(event.key(), new Outcome.Row(event.row()), event.eventTime()));
        } catch (RecordFailure failure) {
            DeadLetter dead = DeadLetter.of(table, failure, RecordOrigin.of(context, record), record.key(), record.value());
            context.forward(new Record<String, Outcome>(null, new Outcome.Failed(dead), record.timestamp()));
        }
        metrics.in(); // once the record has gone its way (see PipelineMetrics.Table#in)
    }
}
