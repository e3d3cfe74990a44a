package io.tributary.devstack;

/**
 * A stack problem a user can act on. The message says what went wrong and what to do; callers
 * print it without a stack trace.
 */
public final class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
