package io.tributary.cli.connectors;

import picocli.CommandLine.Command;

/** `tributary connectors ...`: deploy and inspect the connectors of connectors/config/. */
@Command(name = "connectors", mixinStandardHelpOptions = true,
        description = "Deploy the connector configs to a Connect worker and show their state.",
        subcommands = {ApplyCommand.class, ConnectorsStatusCommand.class})
public final class ConnectorsCommand {
}
