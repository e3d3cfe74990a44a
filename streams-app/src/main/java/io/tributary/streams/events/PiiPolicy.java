package io.tributary.streams.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Removes or pseudonymises configured fields before a row reaches a lake topic: dropped fields
 * become null, hashed fields become hex SHA-256 of salt + value (stable, so they still join and
 * count distinct). Applies to declared columns and to the {@code extra} map alike.
 */
public final class PiiPolicy {
    private final Set<String> drop;
    private final Set<String> hash;
    private final ThreadLocal<MessageDigest> salted;

    public PiiPolicy(Set<String> drop, Set<String> hash, String salt) {
        this.drop = Set.copyOf(drop);
        this.hash = Set.copyOf(hash);
        byte[] saltBytes = salt.getBytes(StandardCharsets.UTF_8);
        this.salted = ThreadLocal.withInitial(() -> {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(saltBytes);
                return sha;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public boolean isSensitive(String field) {
        return drop.contains(field) || hash.contains(field);
    }

    /**
     * This policy for the rows of one contract, its columns resolved once; fails when a hashed
     * column cannot hold a hex string.
     */
    public Columns forContract(Schema contract) {
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
                    row.put(pos, hash(value.toString()));
                }
            }
            if (!extra.isEmpty()) {
                drop.forEach(extra::remove);
                hash.forEach(f -> extra.computeIfPresent(f, (k, v) -> hash(v)));
            }
        }
    }

    public String hash(String value) {
        try {
            MessageDigest sha = (MessageDigest) salted.get().clone(); // the salt is digested once per thread
            return HexFormat.of().formatHex(sha.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
