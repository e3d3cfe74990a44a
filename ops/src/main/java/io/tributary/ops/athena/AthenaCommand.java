package io.tributary.ops.athena;

import picocli.CommandLine.Command;

/** `tributary athena ...`: table definitions for Athena, generated from the contracts and the sink's key layout. */
@Command(name = "athena", mixinStandardHelpOptions = true,
        description = "Athena tables with partition projection, generated from the lake contracts; and checks against the lake.",
        subcommands = {DdlCommand.class, ApplyDdlCommand.class, VerifyCommand.class})
public final class AthenaCommand {
}
