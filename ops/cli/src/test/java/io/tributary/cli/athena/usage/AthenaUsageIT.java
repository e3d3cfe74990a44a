package io.tributary.cli.athena.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.CliRun;
import io.tributary.cli.athena.AwsJsonEndpoint;
import io.tributary.cli.common.TributaryHome;
import io.tributary.devstack.StackConfig;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * `athena usage --write-lake` into the local stack's real S3 server, twice over the same window (the
 * recorded Athena and CloudTrail exchanges of AthenaUsageTest): each query id lands once, `tributary
 * query` reads the table with the figures of the report, and `athena verify` passes on it.
 */
@ExtendWith(DevStackExtension.class)
class AthenaUsageIT {
    @TempDir
    Path work;

    private static String[] args(List<String> command, List<String> lake, String last) {
        List<String> all = new ArrayList<>(command);
        all.addAll(lake);
        all.add(last);
        return all.toArray(String[]::new);
    }

    private static CliRun usageWritingTheLake(DevStack stack) throws Exception {
        try (AwsJsonEndpoint aws = AwsJsonEndpoint.start(new RecordedConversation(AthenaUsageTest.CONVERSATION))) {
            // The local S3 server checks signatures with its own keys; the Athena/CloudTrail endpoint ignores them.
            System.setProperty("aws.accessKeyId", StackConfig.S3_ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", StackConfig.S3_SECRET_KEY);
            return CliRun.of("athena", "usage", "--endpoint", aws.url(), "--region", StackConfig.S3_REGION,
                    "--from", AthenaUsageTest.WINDOW_FROM, "--to", AthenaUsageTest.WINDOW_TO, "--top", "0",
                    "--write-lake", "--s3-endpoint", stack.config().s3Endpoint(), "--bucket", stack.config().bucket());
        }
    }

    @Test
    void theLakeTableHoldsEachQueryOnceAndPassesVerify(DevStack stack) throws Exception {
        List<String> lake = List.of("--bucket", stack.config().bucket(), "--s3-endpoint", stack.config().s3Endpoint(),
                "--region", StackConfig.S3_REGION, "--work-dir", work.toString());
        try {
            CliRun first = usageWritingTheLake(stack);
            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.out()).contains("athena_queries: 114 queries written to s3://" + stack.config().bucket()
                    + "/lake/athena_queries/ in 112 hour object(s); 0 replaced earlier rows of the same query, 0 rows of other queries kept");
            CliRun again = usageWritingTheLake(stack);
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("athena_queries: 114 queries written to s3://" + stack.config().bucket()
                    + "/lake/athena_queries/ in 112 hour object(s); 114 replaced earlier rows of the same query");
            assertThat(stack.s3().listObjectsV2Paginator(b -> b.bucket(stack.config().bucket()).prefix("lake/athena_queries/"))
                    .contents().stream().map(S3Object::key)).hasSize(112).allMatch(k -> k.matches(
                    "lake/athena_queries/dt=2026-11-0[1-7]/hour=\\d\\d/q-[0-9a-f]{32}\\.parquet"));

            CliRun query = CliRun.of(args(List.of("query", "--csv"), lake, "SELECT coalesce(principal, '(none)') AS principal, "
                    + "count(*) AS queries, count(DISTINCT query_execution_id) AS ids, sum(data_scanned_bytes) AS bytes, "
                    + "round(sum(estimated_cost_usd), 6) AS cost FROM athena_queries GROUP BY 1 ORDER BY 1"));
            assertThat(query.exitCode()).as(query.err()).isZero();
            assertThat(query.out().lines()).containsExactly("principal,queries,ids,bytes,cost",
                    "(none),1,1,8000000007,0.036383",
                    AthenaUsageTest.ALICE + ",39,39,4032035838694,17.790041",
                    AthenaUsageTest.BOB + ",37,37,1896009437415,7.439871",
                    AthenaUsageTest.QUICKSIGHT + ",37,37,1868378146658,7.678041");

            CliRun verify = CliRun.of(args(List.of("athena", "verify", "--ddl-dir", TributaryHome.athenaDdl().toString()), lake, "athena_queries"));
            assertThat(verify.exitCode()).as(verify.out()).isZero();
            assertThat(verify.out()).contains("athena_queries OK: keys match the template and dt range, footers match the columns");
        } finally {
            List<String> written = new ArrayList<>();
            stack.s3().listObjectsV2Paginator(b -> b.bucket(stack.config().bucket()).prefix("lake/athena_queries/"))
                    .contents().forEach(o -> written.add(o.key()));
            // Other tests of this JVM share the bucket; leave it as they expect it.
            written.forEach(key -> stack.s3().deleteObject(b -> b.bucket(stack.config().bucket()).key(key)));
        }
    }
}
