package io.tributary.dev.bench;

import picocli.CommandLine.Option;

/** The backlog a drain bench measures on and its rounds: the options `bench scale` and `bench replay` share. */
public final class BacklogOptions {
    /** Set by each command's own {@code --events}: its default is the command's ({@link #EVENTS_HELP}). */
    int events;

    static final String EVENTS_HELP = "Events in the backlog (default ${DEFAULT-VALUE}).";

    @Option(names = "--rounds", defaultValue = "3", description = "Counted rounds after one warm-up round; each round "
            + "drains the backlog afresh (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--no-warmup", description = "Count every round, without a warm-up round first: a check that the "
            + "command works (as in CI), not a figure.")
    boolean noWarmup;

    @Option(names = "--fixture", defaultValue = "WIDE", description = "The events: ACCESS_LOG or WIDE (see bench streams) "
            + "(default ${DEFAULT-VALUE}).")
    BenchInput.Fixture fixture;

    @Option(names = "--masters", defaultValue = "1000", description = "Master rows the events refer to (default ${DEFAULT-VALUE}).")
    int masters;

    /** The backlog's events and masters, to produce once per run. */
    BenchInput input() {
        return new BenchInput(fixture, masters, events);
    }

    /** Round 0 is the warm-up (see {@link Rounds#label}). */
    int firstRound() {
        return noWarmup ? 1 : 0;
    }

    /** How the rounds were counted, for a report's heading: "3 rounds after a warm-up round". */
    String roundsCounted() {
        return rounds + " round(s)" + (noWarmup ? ", no warm-up" : " after a warm-up round");
    }
}
