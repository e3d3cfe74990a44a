package io.tributary.cli.athena;

import io.tributary.cli.aws.AwsOptions;
import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.lake.CurrentView;
import io.tributary.cli.lake.LakeOptions;
import io.tributary.cli.lake.LocalLake;
import io.tributary.cli.lake.WorkDir;
import io.tributary.schemas.contract.CurrentState;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * `tributary athena verify`: checks the table definitions in ops/athena/ against what the sink
 * wrote to the lake (a local copy of it): keys against the location template, Parquet footers against the columns.
 * Exit 0 when everything matches, 1 with the problems otherwise. A table without any objects is a
 * problem (projection would find nothing), so name the tables to check when some are not written
 * yet, e.g. athena_queries before the first `athena usage --write-lake`.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check the Athena table definitions against the object keys and Parquet footers in the lake.")
public final class VerifyCommand implements Callable<Integer> {
    @Mixin
    LakeOptions lake;

    @Mixin
    WorkDir workDir;

    @Mixin
    AwsOptions aws;

    @Option(names = "--ddl-dir", paramLabel = "DIR", description = "Folder of the <table>.sql files (default: <repo>/ops/athena).")
    Path ddlDir;

    @Parameters(paramLabel = "TABLE", arity = "0..*",
            description = "Check only these tables, e.g. athena_queries after `athena usage --write-lake` (default: every table).")
    List<String> only;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<TableDefinition> definitions = new ArrayList<>();
        List<ViewDefinition> views = new ArrayList<>();
        Path dir = ddlDir != null ? ddlDir : TributaryHome.athenaDdl();
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                String sql = Files.readString(file);
                definitions.addAll(TableDefinition.parseAll(sql));
                views.addAll(ViewDefinition.parseAll(sql));
            }
        }
        List<TableDefinition> all = List.copyOf(definitions);
        if (only != null && !only.isEmpty()) {
            List<String> known = new ArrayList<>(definitions.stream().map(TableDefinition::table).toList());
            views.forEach(v -> known.add(v.view()));
            List<String> unknown = only.stream().filter(t -> !known.contains(t)).toList();
            if (!unknown.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "no definition of " + String.join(", ", unknown) + " in " + dir
                        + "; tables: " + String.join(", ", known));
            }
            definitions.removeIf(d -> !only.contains(d.table()));
            views.removeIf(v -> !only.contains(v.view()));
        }
        try (S3Client s3 = lake.s3(aws);
             LocalLake copy = LocalLake.open(s3, lake.bucket(), lake.prefix(), workDir.dir("lake-mirror"))) {
            List<String> problems = new ArrayList<>();
            for (TableDefinition table : definitions) {
                List<String> found = LakeVerifier.verify(table, lake.bucket(), copy.mirror());
                out.printf("%-14s %s%n", table.table(), found.isEmpty() ? "OK: keys match the template and dt range, footers match the columns"
                        : found.size() + " problem(s)");
                problems.addAll(found);
            }
            for (ViewDefinition view : views) {
                List<String> found = new ArrayList<>(view.problems(all));
                if (found.isEmpty()) {
                    found.addAll(runsLocally(copy, view));
                }
                out.printf("%-14s %s%n", view.view(), found.isEmpty() ? "OK: the view is generated from its table's columns and runs "
                        + "over the local lake" : found.size() + " problem(s)");
                problems.addAll(found);
            }
            problems.forEach(p -> out.println("  " + p));
            return problems.isEmpty() ? 0 : 1;
        }
    }

    /** The same view body in DuckDB over the local copy ({@link LocalLake} defines it): it must run. */
    private static List<String> runsLocally(LocalLake copy, ViewDefinition view) {
        if (!copy.tables().contains(view.view())) {
            return List.of(view.view() + ": its table " + view.baseTable() + " has no objects with " + CurrentState.SOURCE_POS
                    + " in the lake yet, so the view cannot be tried");
        }
        try (Statement st = copy.connection().createStatement()) {
            st.executeQuery("SELECT count(*) FROM " + CurrentView.quote(view.view())).close();
            return List.of();
        } catch (SQLException e) {
            return List.of(view.view() + ": fails over the local lake: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
