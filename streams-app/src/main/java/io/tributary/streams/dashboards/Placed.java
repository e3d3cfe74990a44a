package io.tributary.streams.dashboards;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A CDC row as its aggregate holds it while it is the row's current version: its bucket and group,
 * and what it contributes. When the row changes, this is what is taken back out.
 */
record Placed(String bucketKey, Contribution contribution) {
    private static final Serde<Contribution> CONTRIBUTIONS = Contribution.serde();

    static Serde<Placed> serde() {
        return Serdes.serdeFrom((topic, p) -> {
            if (p == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                Contribution.writeText(out, p.bucketKey());
                out.write(CONTRIBUTIONS.serializer().serialize(topic, p.contribution()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }, (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                String key = Contribution.readText(in);
                return new Placed(key, CONTRIBUTIONS.deserializer().deserialize(topic, in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
