package io.tributary.cli.athena;

import io.tributary.cli.common.TributaryHome;
import io.tributary.schemas.contract.Contracts;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `tributary athena ddl`: prints (and with --write saves) CREATE EXTERNAL TABLE for every lake table, and CDC tables' current-state forms. */
@Command(name = "ddl", mixinStandardHelpOptions = true,
        description = "Print CREATE EXTERNAL TABLE (partition projection) for every lake table, and ALTER TABLE ... "
                + "ADD COLUMNS where the registry holds a newer compatible schema; for CDC tables also <table>_snapshot "
                + "and the view <table>_current.")
public final class DdlCommand implements Callable<Integer> {
    @Mixin
    LakeTables tables;

    @Option(names = "--write", paramLabel = "DIR", arity = "0..1", fallbackValue = "",
            description = "Also write <table>.sql files (default dir: <repo>/ops/athena).")
    String write;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        AthenaDdl ddl = tables.ddl();
        Path dir = write == null ? null : write.isEmpty() ? TributaryHome.athenaDdl() : Path.of(write);
        for (Map.Entry<String, Schema> table : tables.schemas().entrySet()) {
            String create = ddl.createTable(table.getKey(), table.getValue());
            String alter = ddl.addColumns(table.getKey(), Contracts.schema(table.getKey()), table.getValue());
            out.println(create);
            if (alter != null) {
                out.println(alter);
            }
            Map<String, String> currentState = ddl.currentState(table.getKey(), table.getValue());
            currentState.values().forEach(out::println);
            if (dir != null) {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(table.getKey() + ".sql"), create);
                for (Map.Entry<String, String> derived : currentState.entrySet()) {
                    Files.writeString(dir.resolve(derived.getKey() + ".sql"), derived.getValue());
                }
            }
        }
        if (dir != null) {
            out.println("-- written to " + dir);
        }
        return 0;
    }
}
