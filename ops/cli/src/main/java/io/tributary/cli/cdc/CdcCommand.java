package io.tributary.cli.cdc;

import picocli.CommandLine.Command;

/** `tributary cdc ...`: check the CDC tables in the lake against their source database. */
@Command(name = "cdc", mixinStandardHelpOptions = true,
        description = "Check CDC tables in the lake against the source database, heal divergence, re-snapshot a table.",
        subcommands = {CdcVerifyCommand.class, ResnapshotCommand.class})
public final class CdcCommand {
}
