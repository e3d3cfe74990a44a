package io.tributary.cli.common;

/**
 * A failure the user can act on (missing credentials, an unreachable endpoint, a refused request):
 * the CLI prints its message as one line, without a stack trace. Commands that do not run the local
 * stack throw this rather than the dev stack's own exception, so they do not depend on it.
 */
public final class CliError extends RuntimeException {
    public CliError(String message) {
        super(message);
    }

    public CliError(String message, Throwable cause) {
        super(message, cause);
    }
}
