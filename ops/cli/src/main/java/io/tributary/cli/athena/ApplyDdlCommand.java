package io.tributary.cli.athena;

import io.tributary.cli.aws.AwsErrors;
import io.tributary.cli.aws.AwsOptions;
import io.tributary.schemas.contract.Contracts;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.athena.AthenaClient;

/** `tributary athena apply`: creates the database and every lake table in Athena (and adds new columns). */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Create the database and the lake tables in Athena (AWS default credentials); --dry-run prints the statements.")
public final class ApplyDdlCommand implements Callable<Integer> {
    @Mixin
    LakeTables tables;

    @Option(names = "--workgroup", defaultValue = "primary", description = "Athena workgroup (default ${DEFAULT-VALUE}).")
    String workgroup;

    @Option(names = "--output-location", paramLabel = "S3_URI",
            description = "Where Athena writes query results, e.g. s3://my-athena-results/tributary/ (not needed when the workgroup sets one).")
    String outputLocation;

    @Mixin
    AwsOptions aws;

    @Option(names = "--dry-run", description = "Print what would run, run nothing.")
    boolean dryRun;

    @Option(names = "--timeout", defaultValue = "PT2M", description = "How long one statement may take (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        AthenaDdl ddl = tables.ddl();
        List<String> statements = new ArrayList<>();
        for (Map.Entry<String, Schema> table : tables.schemas().entrySet()) {
            statements.add(ddl.createTable(table.getKey(), table.getValue()));
            String alter = ddl.addColumns(table.getKey(), Contracts.schema(table.getKey()), table.getValue());
            if (alter != null) {
                statements.add(alter);
            }
            // After the ALTER: a view fixes its columns when created, so it must see the table's new ones.
            statements.addAll(ddl.currentState(table.getKey(), table.getValue()).values());
        }
        String createDatabase = "CREATE DATABASE IF NOT EXISTS `" + tables.database + "`";
        String region = aws.region();
        if (dryRun) {
            out.println("-- would run in workgroup " + workgroup + ", region " + region + ":");
            out.println(createDatabase + ";");
            statements.forEach(out::println);
            return 0;
        }
        out.printf("Applying %d statements in Athena (workgroup %s, region %s):%n", statements.size() + 1, workgroup, region);
        try (AthenaRunner athena = new AthenaRunner(aws.configure(AthenaClient.builder(), aws.endpoint()).build(), workgroup,
                outputLocation, timeout)) {
            athena.run(List.of(createDatabase), null, out);
            athena.run(statements.stream().map(s -> s.strip().replaceAll(";$", "")).toList(), tables.database, out);
        } catch (SdkException e) {
            throw AwsErrors.describe(e, "Athena StartQueryExecution in workgroup " + workgroup,
                    "athena:StartQueryExecution, athena:GetQueryExecution and the Glue and S3 actions the DDL uses");
        }
        return 0;
    }
}
