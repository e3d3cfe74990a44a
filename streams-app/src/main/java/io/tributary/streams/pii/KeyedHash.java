package io.tributary.streams.pii;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudonym of a PII value: hex HMAC-SHA-256 of its UTF-8 bytes, keyed with the salt
 * ({@code pii.salt}). Stable for one salt, so hashed columns still join and count distinct; keyed,
 * so that without the salt nobody can test guesses (a plain hash of a phone number or an e-mail
 * address is reversed by hashing the candidates). Events and CDC tables share it, so a value hashes
 * alike in every table.
 */
public final class KeyedHash {
    private static final String ALGORITHM = "HmacSHA256";
    private final ThreadLocal<Mac> mac;

    /** A hash keyed with {@code salt}; an empty salt makes one that refuses to hash (the configuration requires a salt to hash). */
    public KeyedHash(String salt) {
        SecretKeySpec key = salt.isEmpty() ? null : new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.mac = ThreadLocal.withInitial(() -> {
            if (key == null) {
                throw new IllegalStateException("pii.salt is empty, so nothing can be hashed");
            }
            try {
                Mac m = Mac.getInstance(ALGORITHM);
                m.init(key);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public String hex(String value) {
        return HexFormat.of().formatHex(mac.get().doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }
}
