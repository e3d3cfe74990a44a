package io.tributary.cli.replay;

import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.streams.replay.InProcessPipeline.Input;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A source that hands on the records of the hours round-robin, as a pass over Kafka meets them. */
final class InterleavedSource implements RawSource {
    private final RawSource hourByHour;

    InterleavedSource(RawSource hourByHour) {
        this.hourByHour = hourByHour;
    }

    @Override
    public long read(List<HourPartition> hours, HourSink sink) throws IOException {
        List<List<Read>> byHour = new ArrayList<>();
        for (HourPartition hour : hours) {
            List<Read> records = new ArrayList<>();
            hourByHour.read(List.of(hour), (h, record, id) -> records.add(new Read(record, id)));
            byHour.add(records);
        }
        long n = 0;
        for (int i = 0; byHour.stream().anyMatch(r -> !r.isEmpty()); i = (i + 1) % hours.size()) {
            if (!byHour.get(i).isEmpty()) {
                Read read = byHour.get(i).remove(0);
                sink.accept(hours.get(i), read.record(), read.id());
                n++;
            }
        }
        return n;
    }

    private record Read(Input record, String id) {
    }

    @Override
    public long readAll(String topic, Map<Integer, Long> ends, RawRecords.Sink sink) throws IOException {
        return hourByHour.readAll(topic, ends, sink);
    }

    @Override
    public long expectedRecords(List<HourPartition> hours) throws IOException {
        return hourByHour.expectedRecords(hours);
    }

    @Override
    public String describe(List<HourPartition> hours) throws IOException {
        return hourByHour.describe(hours);
    }

    @Override
    public void close() throws IOException {
        hourByHour.close();
    }
}
