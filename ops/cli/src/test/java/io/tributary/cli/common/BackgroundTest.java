package io.tributary.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A client built in the background is the one the command gets, is closed once with it, and fails as it was thrown. */
class BackgroundTest {
    @Test
    void getsTheClientBuiltOnItsOwnThreadAndClosesItOnce() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        AtomicReference<String> thread = new AtomicReference<>();
        AutoCloseable client = closed::incrementAndGet;
        try (Background<AutoCloseable> background = Background.start("test-client", () -> {
            thread.set(Thread.currentThread().getName());
            return client;
        })) {
            assertThat(background.get()).isSameAs(client);
            assertThat(background.get()).isSameAs(client);
            assertThat(closed).hasValue(0);
        }
        assertThat(thread).hasValue("test-client");
        assertThat(closed).hasValue(1);
    }

    @Test
    void closesTheClientWhenTheCommandFailsBeforeUsingIt() {
        AtomicInteger closed = new AtomicInteger();
        assertThatThrownBy(() -> {
            try (Background<AutoCloseable> background = Background.start("test-client", () -> closed::incrementAndGet)) {
                throw new CliError("--table nope is not a lake table");
            }
        }).isInstanceOf(CliError.class);
        assertThat(closed).hasValue(1);
    }

    @Test
    void aFailureToBuildIsRethrownAsItWasThrownAndLeavesNothingToClose() {
        CliError bad = new CliError("--s3-endpoint is not a URL");
        Background<AutoCloseable> background = Background.start("test-client", () -> {
            throw bad;
        });
        assertThatThrownBy(background::get).isSameAs(bad);
        assertThatCode(background::close).doesNotThrowAnyException();
    }
}
