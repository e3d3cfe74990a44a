package io.tributary.cli;

import io.tributary.cli.common.CliError;
import io.tributary.cli.common.Settings;
import java.util.List;

/**
 * What a build of the CLI adds to the production commands, found through {@link java.util.ServiceLoader}:
 * the dev tools add the local stack's commands (up, down, demo, ...) and its endpoints as settings, so
 * that {@code ./tributary connectors apply} needs no flags. The production CLI has none.
 */
public interface CliExtension {
    /** Subcommands to add (picocli command objects or classes). */
    default List<Object> commands() {
        return List.of();
    }

    /** Settings consulted before the environment. */
    default Settings settings() {
        return name -> null;
    }

    /** Exceptions that report an expected failure: printed as one line, like {@link CliError}. */
    default List<Class<? extends Exception>> expectedErrors() {
        return List.of();
    }
}
