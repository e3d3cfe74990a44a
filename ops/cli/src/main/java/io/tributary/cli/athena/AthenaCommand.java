package io.tributary.cli.athena;

import io.tributary.cli.athena.usage.UsageCommand;
import picocli.CommandLine.Command;

/** `tributary athena ...`: table definitions for Athena, generated from the contracts and the sink's key layout; query usage. */
@Command(name = "athena", mixinStandardHelpOptions = true,
        description = "Athena tables with partition projection, generated from the lake contracts; checks against the lake; "
                + "query cost per user, database and workgroup.",
        subcommands = {DdlCommand.class, ApplyDdlCommand.class, VerifyCommand.class, UsageCommand.class})
public final class AthenaCommand {
}
