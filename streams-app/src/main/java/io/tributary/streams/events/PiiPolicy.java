package io.tributary.streams.events;

import io.tributary.streams.pii.KeyedHash;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Removes or pseudonymises configured fields before a row reaches a lake topic: dropped fields
 * become null, hashed fields become their {@link KeyedHash} (hex HMAC-SHA-256 keyed with the salt;
 * stable, so they still join and count distinct). Applies to declared columns and to the
 * {@code extra} map alike.
 */
public final class PiiPolicy {
    private final Set<String> drop;
    private final Set<String> hash;
    private final KeyedHash keyedHash;

    public PiiPolicy(Set<String> drop, Set<String> hash, KeyedHash keyedHash) {
        this.drop = Set.copyOf(drop);
        this.hash = Set.copyOf(hash);
        this.keyedHash = keyedHash;
    }

    public boolean isSensitive(String field) {
        return drop.contains(field) || hash.contains(field);
    }

    /**
     * This policy for the rows of one contract, its columns resolved once; fails when a hashed
     * column cannot hold a hex string or a dropped one cannot be null.
     */
    public Columns forContract(Schema contract) {
        for (String f : drop) {
            Schema.Field field = contract.getField(f);
            if (field != null && !field.schema().isNullable()) {
                throw new IllegalArgumentException("pii.drop names '" + f + "', a required column of " + contract.getFullName()
                        + ", which cannot be null");
            }
        }
        for (String f : hash) {
            Schema.Field field = contract.getField(f);
            if (field != null && ValueCoercion.nonNull(field.schema()).getType() != Schema.Type.STRING) {
                throw new IllegalArgumentException("pii.hash names '" + f + "', whose contract type is "
                        + field.schema() + "; only string columns can hold a hash");
            }
        }
        return new Columns(positions(contract, drop), positions(contract, hash));
    }

    private static int[] positions(Schema contract, Set<String> fields) {
        return fields.stream().map(contract::getField).filter(java.util.Objects::nonNull).mapToInt(Schema.Field::pos).toArray();
    }

    /** The policy applied to the rows of one contract. */
    public final class Columns {
        private final int[] dropped;
        private final int[] hashed;

        private Columns(int[] dropped, int[] hashed) {
            this.dropped = dropped;
            this.hashed = hashed;
        }

        /** Drops, then hashes, the configured fields of a row of the contract and of its {@code extra} fields. */
        public void apply(GenericRecord row, Map<String, String> extra) {
            for (int pos : dropped) {
                row.put(pos, null);
            }
            for (int pos : hashed) {
                Object value = row.get(pos);
                if (value != null) {
                    row.put(pos, keyedHash.hex(value.toString()));
                }
            }
            if (!extra.isEmpty()) {
                drop.forEach(extra::remove);
                hash.forEach(f -> extra.computeIfPresent(f, (k, v) -> keyedHash.hex(v)));
            }
        }
    }
}
