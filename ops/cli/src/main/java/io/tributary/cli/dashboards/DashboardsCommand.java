package io.tributary.cli.dashboards;

import picocli.CommandLine.Command;

/** `tributary dashboards ...`: maintain the live aggregates that dashboards read. */
@Command(name = "dashboards", mixinStandardHelpOptions = true,
        description = "Maintain the live aggregates for dashboards (their topics and PostgreSQL tables).",
        subcommands = {RebuildCommand.class})
public final class DashboardsCommand {
}
