package io.tributary.dashboard.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in sessions by an unguessable token (256 random bits, the session cookie's value). A session
 * ends when idle longer than {@code idle}, older than {@code maxAge} whatever its activity, or at
 * logout; a login always makes a new token, so a token planted before login is worth nothing.
 */
public final class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Duration maxAge;
    private final Clock clock;

    /** One user's session: who, since when, last seen. */
    public record Session(String user, Instant loginAt, Instant lastSeen) {
    }

    public Sessions(Duration idle, Duration maxAge, Clock clock) {
        this.idle = idle;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** Starts a session for {@code user}; returns its token. */
    public String start(String user) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        byToken.put(token, new Session(user, now, now));
        return token;
    }

    /** The live session of {@code token}, marked as seen now; empty (and forgotten) when expired or unknown. */
    public Optional<Session> touch(String token) {
        Optional<Session> live = peek(token);
        live.ifPresent(s -> byToken.put(token, new Session(s.user(), s.loginAt(), clock.instant())));
        return live;
    }

    /** The live session of {@code token} without marking it seen: a push stream is not user activity. */
    public Optional<Session> peek(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Session s = byToken.get(token);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (now.isAfter(s.lastSeen().plus(idle)) || now.isAfter(s.loginAt().plus(maxAge))) {
            byToken.remove(token);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    public void end(String token) {
        if (token != null) {
            byToken.remove(token);
        }
    }
}
