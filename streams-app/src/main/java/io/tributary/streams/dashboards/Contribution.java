package io.tributary.streams.dashboards;

import io.tributary.streams.config.Aggregate;
import io.tributary.streams.config.Measure;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * What one row adds to its bucket: its id (events: a replay of the same event adds nothing) and,
 * per measure, its input as text (numbers exactly, as plain decimal text; null when the column is).
 * It is all that crosses the repartition topic, so the lake row itself does not.
 *
 * @param id     the event's id; null for CDC rows
 * @param inputs one entry per measure, in the aggregate's order (null for count)
 */
public record Contribution(String id, List<String> inputs) {

    /** The contribution of a lake row to an aggregate. */
    static Contribution of(Aggregate aggregate, GenericRecord row) {
        List<String> inputs = new ArrayList<>(aggregate.measures().size());
        for (Measure m : aggregate.measures()) {
            inputs.add(switch (m.kind()) {
                case COUNT -> null;
                case APPROX_DISTINCT -> LakeValues.text(row, m.column());
                default -> {
                    BigDecimal n = LakeValues.number(row, m.column());
                    yield n == null ? null : n.toPlainString();
                }
            });
        }
        return new Contribution(aggregate.idColumn() == null ? null : LakeValues.text(row, aggregate.idColumn()), inputs);
    }

    /** Length-prefixed UTF-8 strings, -1 for null: the id, the count of inputs, the inputs. */
    public static Serde<Contribution> serde() {
        return BinarySerde.of(Contribution::write, Contribution::read);
    }

    static void write(DataOutputStream out, Contribution c) throws IOException {
        BinarySerde.writeText(out, c.id());
        out.writeInt(c.inputs().size());
        for (String input : c.inputs()) {
            BinarySerde.writeText(out, input);
        }
    }

    static Contribution read(DataInputStream in) throws IOException {
        String id = BinarySerde.readText(in);
        int n = in.readInt();
        List<String> inputs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            inputs.add(BinarySerde.readText(in));
        }
        return new Contribution(id, inputs);
    }
}
