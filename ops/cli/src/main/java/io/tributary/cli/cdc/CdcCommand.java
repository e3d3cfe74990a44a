package io.tributary.cli.cdc;

import picocli.CommandLine.Command;

/** `tributary cdc ...`: check the CDC tables in the lake against their source database. */
@Command(name = "cdc", mixinStandardHelpOptions = true,
        description = "Check CDC tables in the lake against the source database, and heal divergence.",
        subcommands = {CdcVerifyCommand.class})
public final class CdcCommand {
}
