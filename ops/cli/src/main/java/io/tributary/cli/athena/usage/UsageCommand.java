package io.tributary.cli.athena.usage;

import io.tributary.cli.aws.AwsOptions;
import io.tributary.cli.common.CliError;
import io.tributary.cli.common.WorkDirs;
import io.tributary.cli.lake.LakeOptions;
import io.tributary.lake.store.S3Storage;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.lake.LakePath;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * `tributary athena usage`: who scanned what. Every query of the window from Athena's API, joined
 * with its CloudTrail StartQueryExecution event for the principal, grouped with counts, bytes,
 * estimated cost and failures, and the top queries by bytes; with --write-lake also the lake table
 * athena_queries, so dashboards chart cost per user per day.
 */
@Command(name = "usage", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Athena query cost per user, database, workgroup or day: queries from Athena's API (45 days), "
                + "who ran them from CloudTrail (90 days), bytes scanned and estimated cost, top queries by bytes.",
                "Needs athena:ListWorkGroups, athena:ListQueryExecutions, athena:BatchGetQueryExecution and "
                        + "cloudtrail:LookupEvents; --write-lake also s3:GetObject, s3:PutObject and s3:ListBucket on the lake bucket."})
public final class UsageCommand implements Callable<Integer> {
    /** How many days back Athena lists a workgroup's queries. */
    static final int ATHENA_HISTORY_DAYS = 45;

    @Option(names = "--since", paramLabel = "DURATION",
            description = "Queries submitted in this last stretch of time: 30s, 2m, 1h, 7d or ISO-8601 like P7D (default 7d).")
    Duration since;

    @Option(names = "--from", paramLabel = "TIME",
            description = "Start of the window instead of --since: 2026-11-01 (midnight UTC), 2026-11-01T09:00:00Z or with an offset.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End of the window (exclusive) with --from (default: now).")
    String to;

    @Option(names = "--workgroup", paramLabel = "W", split = ",",
            description = "Only these workgroups (repeat or comma-separate; default: every workgroup of the region).")
    List<String> workgroups;

    @Option(names = "--by", defaultValue = "user", paramLabel = "KEY",
            description = "Group by ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}); user is the CloudTrail principal ARN.")
    UsageReport.By by;

    @Option(names = "--top", defaultValue = "10", paramLabel = "N", description = "List the N queries that scanned most (default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--csv", description = "Print the grouped table as CSV (exact bytes and cost) instead of the report.")
    boolean csv;

    @Option(names = "--price-per-tb", paramLabel = "USD", defaultValue = CostModel.PUBLISHED_PRICE_PER_TB,
            description = "Price per TB scanned for the estimate (default ${DEFAULT-VALUE}, Athena's published price in most regions).")
    BigDecimal pricePerTb;

    @Option(names = "--write-lake", description = "Also write the queries into the lake table " + Contracts.ATHENA_QUERIES
            + " (Parquet, one object per submission hour, rewritten so a query id appears once).")
    boolean writeLake;

    @Mixin
    LakeOptions lake;

    @Mixin
    AwsOptions aws;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant now = Instant.now();
        TimeWindow window = window(now);
        CostModel prices = prices();
        if (top < 0) {
            throw new ParameterException(spec.commandLine(), "--top must be 0 or more");
        }
        String region = aws.region();
        Progress progress = new Progress(err, System.console() != null);
        List<QueryRecord> rows;
        UsageReport report;
        try (AthenaClient athena = aws.configure(AthenaClient.builder(), aws.endpoint()).build();
             CloudTrailClient cloudTrail = aws.configure(CloudTrailClient.builder(), aws.endpoint()).build()) {
            AthenaHistory history = new AthenaHistory(athena, progress);
            List<String> reported;
            AthenaHistory.Listing listing;
            Map<String, String> principals;
            try {
                reported = history.workgroups(workgroups);
                listing = history.queries(reported, window);
                principals = listing.executions().isEmpty() ? Map.of()
                        : new CloudTrailPrincipals(cloudTrail, progress).lookup(window, now);
            } finally {
                progress.done(); // also before an error, which then says where it stopped
            }
            rows = listing.executions().stream()
                    .map(e -> QueryRecord.of(e, principals.get(e.queryExecutionId()), prices)).toList();
            String scope = "region " + region + ", queries submitted " + window + ", workgroups " + String.join(", ", reported)
                    + (window.from().isBefore(now.minus(Duration.ofDays(ATHENA_HISTORY_DAYS)))
                    ? " (Athena lists only the last " + ATHENA_HISTORY_DAYS + " days)" : "");
            report = new UsageReport(rows, listing.unprocessed(), scope, prices);
        }
        if (csv) {
            report.printCsv(out, by);
            report.printNotes(err); // what is not in the table, without breaking the CSV
        } else {
            report.printText(out, by, top);
        }
        if (writeLake) {
            writeLake(rows, prices, now, csv ? err : out);
        }
        return 0;
    }

    private TimeWindow window(Instant now) {
        try {
            if (from != null) {
                if (since != null) {
                    throw new IllegalArgumentException("give --since or --from/--to, not both");
                }
                return TimeWindow.between(from, to, now);
            }
            if (to != null) {
                throw new IllegalArgumentException("--to needs --from");
            }
            return TimeWindow.since(since == null ? Duration.ofDays(7) : since, now);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private CostModel prices() {
        try {
            return new CostModel(pricePerTb);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void writeLake(List<QueryRecord> rows, CostModel prices, Instant now, PrintWriter out) throws IOException {
        String location = "s3://" + lake.bucket() + "/" + new LakePath(lake.prefix())
                .tableRoot(Contracts.ATHENA_QUERIES);
        if (rows.isEmpty()) {
            out.println(Contracts.ATHENA_QUERIES + ": no queries in the window, nothing written to " + location);
            return;
        }
        Path work = Files.createTempDirectory("tributary-athena-usage");
        // The lake bucket may live in another region than Athena's; the SDK then follows it.
        S3Client s3 = lake.s3(aws);
        try (S3Storage store = new S3Storage(s3, lake.bucket(), 16 << 20, "", "")) {
            AthenaQueriesTable.Written w = new AthenaQueriesTable(store, lake.prefix(), work).write(rows, prices, now);
            out.printf("%s: %d queries written to %s in %d hour object(s); %d replaced earlier rows of the same query, "
                    + "%d rows of other queries kept%n", Contracts.ATHENA_QUERIES, w.rows(), location, w.objects(), w.replaced(), w.kept());
        } catch (IOException e) {
            throw new CliError("writing " + Contracts.ATHENA_QUERIES + " failed: " + e.getMessage().lines().findFirst().orElse("")
                    + " (check the bucket, --s3-endpoint, and s3:GetObject, s3:PutObject, s3:DeleteObject and s3:ListBucket on it)", e);
        } finally {
            WorkDirs.deleteRecursively(work);
        }
    }
}
