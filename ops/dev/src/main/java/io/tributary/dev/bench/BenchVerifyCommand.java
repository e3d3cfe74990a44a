package io.tributary.dev.bench;

import io.tributary.dev.stack.StackOptions;
import io.tributary.dev.stack.StackSession;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `tributary bench cdc-verify`: what `cdc verify` costs on a large table, next to plain scans of it. */
@Command(name = "cdc-verify", mixinStandardHelpOptions = true,
        description = "Time cdc verify's database and lake passes on a large table against SELECT COUNT(*) and DuckDB count(*).")
public final class BenchVerifyCommand implements Callable<Integer> {
    @Mixin
    StackOptions stackOptions;

    @Option(names = "--rows", defaultValue = "1000000", description = "Rows of the table (default ${DEFAULT-VALUE}).")
    int rows;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (StackSession session = StackSession.open(stackOptions, out)) {
            VerifyCost.run(session.config(), rows, Files.createTempDirectory("tributary-bench-verify"), out);
        }
        return 0;
    }
}
