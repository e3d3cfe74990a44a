package io.tributary.streams.dashboards;

import io.tributary.streams.config.Measure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The running totals of one bucket and group: the row count and one slot per measure. Sums are
 * exact decimals with the number of values they hold (a sum of nothing but nulls is null, as in
 * SQL, also after values were taken back out); min and max are exact decimals; an approximate
 * distinct count is an HLL sketch (lgK 12, about 1.6 % standard error, at most 4 KiB), which a
 * replayed value does not change.
 */
public final class AggState {
    /** HLL sketch size: 2^12 registers. */
    static final int LG_K = 12;
    private static final byte NULL = 0;
    private static final byte SUM = 1;
    private static final byte NUMBER = 2;
    private static final byte SKETCH = 3;

    private long count;
    private final Object[] slots;

    /** A sum and how many non-null values it holds. */
    record Sum(BigDecimal total, long values) {
    }

    private AggState(long count, Object[] slots) {
        this.count = count;
        this.slots = slots;
    }

    /**
     * How far an approximate distinct count may lie from the exact count: three standard errors of
     * the sketch (99.7 % of estimates fall inside; the wider bound of its estimators, about 5 % at
     * lgK 12), and at least 1, since estimates are rounded.
     */
    public static long approxDistinctTolerance(long exact) {
        double relative = Math.max(Math.abs(HllSketch.getRelErr(true, true, LG_K, 3)), Math.abs(HllSketch.getRelErr(false, true, LG_K, 3)));
        return Math.max(1, (long) Math.ceil(exact * relative));
    }

    /**
     * The estimate this class gives for these values (added in the given order), by the same sketch:
     * what {@code dashboards rebuild} sends for an approximate distinct count computed over the lake.
     */
    public static long approxDistinct(Iterable<String> values) {
        HllSketch sketch = newSketch();
        values.forEach(sketch::update);
        return Math.round(HllSketch.heapify(sketch.toCompactByteArray()).getEstimate());
    }

    private static HllSketch newSketch() {
        return new HllSketch(LG_K, TgtHllType.HLL_8);
    }

    public static AggState empty(int measures) {
        return new AggState(0, new Object[measures]);
    }

    public long count() {
        return count;
    }

    /** Adds one row. */
    public AggState add(Contribution c, List<Measure> measures) {
        count++;
        for (int i = 0; i < measures.size(); i++) {
            String input = c.inputs().get(i);
            if (input == null) {
                continue;
            }
            slots[i] = switch (measures.get(i).kind()) {
                case COUNT -> null;
                case SUM -> slots[i] instanceof Sum s ? new Sum(s.total().add(new BigDecimal(input)), s.values() + 1)
                        : new Sum(new BigDecimal(input), 1);
                case MIN -> slots[i] instanceof BigDecimal b && b.compareTo(new BigDecimal(input)) <= 0 ? b : new BigDecimal(input);
                case MAX -> slots[i] instanceof BigDecimal b && b.compareTo(new BigDecimal(input)) >= 0 ? b : new BigDecimal(input);
                case APPROX_DISTINCT -> {
                    HllSketch sketch = slots[i] instanceof byte[] bytes ? HllSketch.heapify(bytes) : newSketch();
                    sketch.update(input);
                    yield sketch.toCompactByteArray();
                }
            };
        }
        return this;
    }

    /** Takes one row back out (a CDC row that was updated or deleted); only count and sum measures exist then. */
    public AggState subtract(Contribution c, List<Measure> measures) {
        count--;
        for (int i = 0; i < measures.size(); i++) {
            String input = c.inputs().get(i);
            if (input != null && slots[i] instanceof Sum s) {
                slots[i] = s.values() == 1 ? null : new Sum(s.total().subtract(new BigDecimal(input)), s.values() - 1);
            }
        }
        return this;
    }

    /** A measure's value: the count, the sum, min or max (null when no value was non-null), or the distinct estimate. */
    public Object value(int i, Measure measure) {
        return switch (measure.kind()) {
            case COUNT -> count;
            case SUM -> slots[i] instanceof Sum s ? s.total() : null;
            case MIN, MAX -> slots[i];
            case APPROX_DISTINCT -> slots[i] instanceof byte[] bytes ? Math.round(HllSketch.heapify(bytes).getEstimate()) : 0L;
        };
    }

    public static Serde<AggState> serde() {
        return Serdes.serdeFrom((topic, state) -> state == null ? null : state.toBytes(), (topic, data) -> data == null ? null : fromBytes(data));
    }

    private byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(count);
            out.writeInt(slots.length);
            for (Object slot : slots) {
                if (slot instanceof Sum s) {
                    out.writeByte(SUM);
                    writeDecimal(out, s.total());
                    out.writeLong(s.values());
                } else if (slot instanceof BigDecimal d) {
                    out.writeByte(NUMBER);
                    writeDecimal(out, d);
                } else if (slot instanceof byte[] sketch) {
                    out.writeByte(SKETCH);
                    out.writeInt(sketch.length);
                    out.write(sketch);
                } else {
                    out.writeByte(NULL);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static AggState fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            long count = in.readLong();
            Object[] slots = new Object[in.readInt()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = switch (in.readByte()) {
                    case SUM -> new Sum(readDecimal(in), in.readLong());
                    case NUMBER -> readDecimal(in);
                    case SKETCH -> in.readNBytes(in.readInt());
                    default -> null;
                };
            }
            return new AggState(count, slots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeDecimal(DataOutputStream out, BigDecimal d) throws IOException {
        byte[] unscaled = d.unscaledValue().toByteArray();
        out.writeInt(d.scale());
        out.writeInt(unscaled.length);
        out.write(unscaled);
    }

    private static BigDecimal readDecimal(DataInputStream in) throws IOException {
        int scale = in.readInt();
        return new BigDecimal(new BigInteger(in.readNBytes(in.readInt())), scale);
    }
}
