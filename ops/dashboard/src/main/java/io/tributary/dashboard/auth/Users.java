package io.tributary.dashboard.auth;

import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The users who may log in, by name, with their password hashes from the configuration. Each check
 * costs a PBKDF2 derivation (about half a second), so at most two run at once, and an unknown user
 * is checked against a dummy hash: the answer takes as long, and does not tell which users exist.
 */
public final class Users {
    private static final String DUMMY = Passwords.hash("not a password".toCharArray(), Passwords.ITERATIONS);
    private final Map<String, String> hashes;
    private final Semaphore verifying = new Semaphore(2);

    public Users(Map<String, String> hashes) {
        hashes.values().forEach(Passwords::check);
        this.hashes = Map.copyOf(hashes);
    }

    public boolean authenticate(String user, char[] password) {
        String stored = user == null ? null : hashes.get(user);
        verifying.acquireUninterruptibly();
        try {
            boolean ok = Passwords.verify(password, stored == null ? DUMMY : stored);
            return ok && stored != null;
        } finally {
            verifying.release();
        }
    }
}
