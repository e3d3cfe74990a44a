package io.tributary.dashboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.dashboard.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PasswordsTest {
    @Test
    void aHashVerifiesItsPasswordOnlyAndIsSaltedEachTime() {
        String stored = Passwords.hash("秘密 secret".toCharArray(), 1000);
        assertThat(stored).startsWith("pbkdf2-sha256$1000$");
        assertThat(Passwords.verify("秘密 secret".toCharArray(), stored)).isTrue();
        assertThat(Passwords.verify("秘密 secreT".toCharArray(), stored)).isFalse();
        assertThat(Passwords.hash("秘密 secret".toCharArray(), 1000)).isNotEqualTo(stored);
    }

    @Test
    void somethingElseThanAHashIsRefusedWithTheWayToMakeOne() {
        assertThatThrownBy(() -> new Users(Map.of("demo", "plain-text-password")))
                .hasMessage("not a pbkdf2-sha256 hash: make one with `tributary-dashboard hash-password`");
    }

    @Test
    void usersAreCheckedByNameAndPassword() {
        Users users = new Users(Map.of("demo", Passwords.hash("pw".toCharArray(), 1000)));
        assertThat(users.authenticate("demo", "pw".toCharArray())).isTrue();
        assertThat(users.authenticate("demo", "wrong".toCharArray())).isFalse();
        assertThat(users.authenticate("nobody", "pw".toCharArray())).isFalse();
        assertThat(users.authenticate(null, "pw".toCharArray())).isFalse();
    }

    @Test
    void sessionsEndWhenIdleAfterTheirMaxAgeAndAtLogout() {
        MutableClock clock = new MutableClock();
        Sessions sessions = new Sessions(Duration.ofMinutes(30), Duration.ofHours(12), clock);
        String idle = sessions.start("demo");
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.touch(idle)).get().extracting(Sessions.Session::user).isEqualTo("demo");
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.peek(idle)).as("29 min after the last request").isPresent();
        clock.advance(Duration.ofMinutes(2));
        assertThat(sessions.peek(idle)).as("31 min after the last request").isEmpty();
        assertThat(sessions.touch(idle)).as("an ended session stays ended").isEmpty();

        String busy = sessions.start("demo");
        for (int i = 0; i < 12 * 4; i++) {
            clock.advance(Duration.ofMinutes(15));
            assertThat(sessions.touch(busy)).as("after %d min", (i + 1) * 15).isPresent();
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.touch(busy)).as("12 h after login, however active").isEmpty();

        String out = sessions.start("demo");
        assertThat(out).isNotEqualTo(busy).hasSize(43);
        sessions.end(out);
        assertThat(sessions.touch(out)).isEmpty();
        assertThat(sessions.touch(null)).isEmpty();
    }
}
