package io.tributary.streams.dashboards;

import org.apache.kafka.common.serialization.Serde;

/**
 * A CDC row as its aggregate holds it while it is the row's current version: its bucket and group,
 * and what it contributes. When the row changes, this is what is taken back out.
 */
record Placed(String bucketKey, Contribution contribution) {
    static Serde<Placed> serde() {
        return BinarySerde.of((out, p) -> {
            BinarySerde.writeText(out, p.bucketKey());
            Contribution.write(out, p.contribution());
        }, in -> new Placed(BinarySerde.readText(in), Contribution.read(in)));
    }
}
