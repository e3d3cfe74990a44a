package io.tributary.cli.athena.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.CliRun;
import io.tributary.cli.athena.AwsJsonEndpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * `tributary athena usage` against a local endpoint that replays recorded Athena and CloudTrail
 * exchanges (athena/usage/conversation.jsonl, made by generate.py there): the exact requests in
 * order (page tokens, batches of at most 50 ids, the listing stopping once a batch is older than
 * the window), throttled requests retried, the CloudTrail join, and the report's figures, which
 * generate.py computed independently of this code.
 */
class AthenaUsageTest {
    static final String CONVERSATION = "/athena/usage/conversation.jsonl";
    static final String WINDOW_FROM = "2026-11-01";
    static final String WINDOW_TO = "2026-11-08T00:00:00Z";
    static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    static final String BOB = "arn:aws:sts::111122223333:assumed-role/Analyst/bob";
    static final String QUICKSIGHT = "arn:aws:sts::111122223333:assumed-role/aws-quicksight-service-role-v0/QuickSight-1762000000";

    record Run(CliRun cli, RecordedConversation conversation, List<AwsJsonEndpoint.Request> requests) {
        int exit() {
            return cli.exitCode();
        }

        String out() {
            return cli.out();
        }

        String err() {
            return cli.err();
        }
    }

    static Run usage(String... extra) throws IOException {
        RecordedConversation conversation = new RecordedConversation(CONVERSATION);
        try (AwsJsonEndpoint aws = AwsJsonEndpoint.start(conversation)) {
            List<String> args = new ArrayList<>(List.of("athena", "usage", "--endpoint", aws.url(), "--region", "eu-west-1",
                    "--from", WINDOW_FROM, "--to", WINDOW_TO));
            args.addAll(List.of(extra));
            return new Run(CliRun.of(args.toArray(String[]::new)), conversation, aws.requests());
        }
    }

    @Test
    void sendsExactlyTheRecordedRequestsRetryingThrottledOnes() throws IOException {
        Run run = usage();
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.conversation().mismatches()).isEmpty();
        assertThat(run.conversation().remaining()).as("recorded exchanges not asked for").isZero();
        // 2 ListWorkGroups pages; analytics: 5 of its 6 list pages (a batch older than the window ends it), etl 1, primary 1.
        assertThat(run.requests()).extracting(AwsJsonEndpoint.Request::target).containsExactly(
                "AmazonAthena.ListWorkGroups", "AmazonAthena.ListWorkGroups",
                "AmazonAthena.ListQueryExecutions", "AmazonAthena.ListQueryExecutions", "AmazonAthena.BatchGetQueryExecution",
                "AmazonAthena.ListQueryExecutions", "AmazonAthena.ListQueryExecutions",
                "AmazonAthena.BatchGetQueryExecution", "AmazonAthena.BatchGetQueryExecution",
                "AmazonAthena.ListQueryExecutions", "AmazonAthena.BatchGetQueryExecution",
                "AmazonAthena.ListQueryExecutions", "AmazonAthena.BatchGetQueryExecution",
                "AmazonAthena.ListQueryExecutions", "AmazonAthena.ListQueryExecutions", "AmazonAthena.BatchGetQueryExecution",
                "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
                "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
                "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
                "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents");
        // Ids are described 50 at a time across list pages of 40 (the second batch twice: throttled), primary's 6 in one call.
        assertThat(run.requests().stream().filter(r -> r.target().endsWith("BatchGetQueryExecution"))
                .map(r -> r.body().path("QueryExecutionIds").size())).containsExactly(50, 50, 50, 50, 50, 6);
        // Each throttled request (ThrottlingException, TooManyRequestsException) was sent again, identically.
        List<RecordedConversation.Exchange> throttled = run.conversation().exchanges().stream().filter(x -> x.status() == 400).toList();
        assertThat(throttled).extracting(x -> x.response().path("__type").asText())
                .containsExactly("ThrottlingException", "TooManyRequestsException", "ThrottlingException");
        for (RecordedConversation.Exchange x : throttled) {
            assertThat(run.requests().stream().filter(r -> r.target().equals(x.target()) && r.body().equals(x.request()))).hasSize(2);
        }
        assertThat(run.requests().stream().filter(r -> r.target().endsWith("LookupEvents")).map(r -> r.body().path("NextToken").asText()))
                .containsExactly("", "", "events-2", "events-3");
        assertThat(run.err()).contains("fetched: 3 workgroups, 7 ListQueryExecutions pages, 5 BatchGetQueryExecution calls "
                + "(205 queries, 114 in the window), 3 LookupEvents pages (115 events)");
    }

    @Test
    void theReportGroupsByUserListsTheTopQueriesAndNamesWhatItCouldNotAttribute() throws IOException {
        Run run = usage("--top", "3");
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Athena usage: region eu-west-1, queries submitted 2026-11-01T00:00:00Z to "
                + "2026-11-08T00:00:00Z, workgroups analytics, etl, primary");
        assertThat(lines.get(1)).isEqualTo("Estimated cost at USD 5.00 per TB scanned (Athena's published price for SQL queries"
                + " in most regions; 1 TB = 2^40 bytes).");
        assertThat(lines.get(2)).isEqualTo("DML queries that did not fail pay their bytes rounded up to the MiB, at least 10 MiB;"
                + " DDL, utility statements and failed queries are free.");
        assertThat(run.out()).containsSubsequence(
                "user", "queries", "failed", "scanned", "est. USD",
                ALICE, "39", "4", "3.67 TB", "17.79",
                QUICKSIGHT, "37", "3", "1.70 TB", "7.68",
                BOB, "37", "5", "1.72 TB", "7.44",
                "(no CloudTrail event)", "1", "0", "7.45 GB", "0.04",
                "total", "114", "12", "7.10 TB", "32.94",
                "Top 3 queries by bytes scanned:",
                "2.00 TB", "10.00", "CANCELLED", "2026-11-06 10:05", "primary", "user/alice", "81de5fa9-f1a0-5e91-b4be-08f8603efc15",
                "SELECT * FROM tributary.app_events",
                "102.45 GB", "0.00", "FAILED", "assumed-role/Analyst/bob", "0efe7a41-12a4-589b-a7ea-597ac19648e1",
                "SELECT user_id, count(*) AS events FROM tributary.app_eve...",
                "101.51 GB", "0.50", "SUCCEEDED", "user/alice", "cba05f0b-2c0a-5322-b6f3-f397c12bdcec",
                "1 query has no StartQueryExecution event in CloudTrail and counts under user (no CloudTrail event); "
                        + "CloudTrail keeps 90 days of events and delivers them within about 15 minutes.",
                "1 query id Athena could not describe, not counted above:",
                "62e13455-7422-52a0-9bdb-7d76a98e70f6: INVALID_INPUT QueryExecution 62e13455-7422-52a0-9bdb-7d76a98e70f6 was not found");
        int top = lines.indexOf("Top 3 queries by bytes scanned:");
        assertThat(lines.subList(top + 1, lines.size()).indexOf("")).as("header, rule and 3 queries").isEqualTo(5);
    }

    /** The exact figures per group, as CSV, against generate.py's independent computation. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "user|user,queries,failed,data_scanned_bytes,estimated_cost_usd,price_per_tb_usd;"
                + ALICE + ",39,4,4032035838694,17.790041,5.00;"
                + QUICKSIGHT + ",37,3,1868378146658,7.678041,5.00;"
                + BOB + ",37,5,1896009437415,7.439871,5.00;"
                + "(no CloudTrail event),1,0,8000000007,0.036383,5.00",
        "database|database,queries,failed,data_scanned_bytes,estimated_cost_usd,price_per_tb_usd;"
                + "tributary,57,1,2800015728990,12.733283,5.00;sales,56,11,2805384438233,10.211053,5.00;"
                + "(none),1,0,2199023255551,10.000000,5.00",
        "workgroup|workgroup,queries,failed,data_scanned_bytes,estimated_cost_usd,price_per_tb_usd;"
                + "analytics,110,11,5600031457980,22.919917,5.00;primary,4,1,2204391964794,10.024419,5.00",
        "day|day,queries,failed,data_scanned_bytes,estimated_cost_usd,price_per_tb_usd;"
                + "2026-11-01,14,2,1349003145819,5.634351,5.00;2026-11-02,17,1,1327003145833,5.625305,5.00;"
                + "2026-11-03,16,2,1015006291554,3.933682,5.00;2026-11-04,16,2,848003145833,3.356123,5.00;"
                + "2026-11-05,17,2,569006291554,2.405739,5.00;2026-11-06,17,2,2568026401384,11.450720,5.00;"
                + "2026-11-07,17,1,128375000797,0.538416,5.00"})
    void groupsAddUpExactly(String by, String expectedCsv) throws IOException {
        Run run = usage("--by", by, "--csv");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).containsExactly(expectedCsv.split(";"));
        assertThat(run.err()).as("what the CSV cannot hold goes to stderr")
                .contains("1 query id Athena could not describe, not counted above:");
    }

    @Test
    void anotherPriceScalesTheEstimateAndIsStated() throws IOException {
        Run run = usage("--by", "workgroup", "--price-per-tb", "6.25");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Estimated cost at USD 6.25 per TB scanned (set with --price-per-tb; Athena's published "
                + "price is USD 5.00;").containsPattern("analytics +110 +11 +5\\.09 TB +28\\.65");
    }
}
