package io.tributary.cli.athena.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.CliRun;
import io.tributary.cli.athena.AwsJsonEndpoint;
import io.tributary.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every expected failure of `athena usage` is one line saying what is wrong and what to do (after the progress line); never a stack trace. */
class UsageCommandErrorsTest {
    /** The progress line is finished before an error, so the error says where the run stopped. */
    private static final String NOTHING_FETCHED = "fetched: 0 workgroups, 0 ListQueryExecutions pages, 0 BatchGetQueryExecution "
            + "calls (0 queries, 0 in the window), 0 LookupEvents pages (0 events)";

    @TempDir
    Path home;

    private static CliRun usage(String... args) {
        List<String> all = new ArrayList<>(List.of("athena", "usage"));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--since 7x|Invalid value for option '--since': '7x' is not a duration: write e.g. 30s, 2m, 1h, 7d or ISO-8601 PT2M",
        "--since 0s|--since must be positive, e.g. 7d",
        "--by owner|Invalid value for option '--by': expected one of [user, database, workgroup, day]",
        "--from 2026-13-01|--from '2026-13-01' is not a time: write 2026-11-01, 2026-11-01T09:00:00Z or 2026-11-01T18:00:00+09:00",
        "--from 2026-11-08 --to 2026-11-01|the window is empty: 2026-11-08T00:00:00Z is not before 2026-11-01T00:00:00Z",
        "--since 7d --from 2026-11-01|give --since or --from/--to, not both",
        "--to 2026-11-08|--to needs --from",
        "--price-per-tb -1|--price-per-tb must not be negative",
        "--price-per-tb five|Invalid value for option '--price-per-tb': cannot convert 'five' to BigDecimal",
        "--top -1|--top must be 0 or more"})
    void aBadFlagValueIsOneLineNamingItAndWhereToReadMore(String args, String message) {
        CliRun run = usage(args.split(" "));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().startsWith("error: ").contains(message)
                .endsWith("(see `tributary athena usage --help`)");
    }

    @Test
    void durationsAreWrittenAsPeopleWriteThem() {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        assertThat(List.of("30s", "2m", "1h", "7d", "PT2M", "P7D").stream()
                .map(d -> TimeWindow.since(io.tributary.cli.common.DurationConverter.parse(d), now).from().toString()))
                .containsExactly("2026-12-01T11:59:30Z", "2026-12-01T11:58:00Z", "2026-12-01T11:00:00Z", "2026-11-24T12:00:00Z",
                        "2026-12-01T11:58:00Z", "2026-11-24T12:00:00Z");
        assertThat(TimeWindow.between("2026-11-01T18:00:00+09:00", null, now))
                .isEqualTo(new TimeWindow(Instant.parse("2026-11-01T09:00:00Z"), now));
    }

    @Test
    void anUnknownWorkgroupNamesTheRegionsWorkgroups() throws IOException {
        try (AwsJsonEndpoint aws = AwsJsonEndpoint.start(new RecordedConversation(AthenaUsageTest.CONVERSATION))) {
            CliRun run = usage("--endpoint", aws.url(), "--region", "eu-west-1", "--workgroup", "analytics,reporting");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err().lines()).containsExactly(NOTHING_FETCHED, "error: no workgroup reporting in this region; its "
                    + "workgroups are analytics, etl, primary (check --workgroup and --region)");
        }
    }

    @Test
    void anUnreachableEndpointSaysSoAfterTheRetries() throws IOException {
        System.setProperty("aws.accessKeyId", "test-only");
        System.setProperty("aws.secretAccessKey", "test-only");
        int closed = FreePorts.one();
        CliRun run = usage("--endpoint", "http://127.0.0.1:" + closed, "--region", "eu-west-1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).hasSize(2).first().isEqualTo(NOTHING_FETCHED);
        assertThat(run.err().lines()).last().asString()
                .startsWith("error: cannot reach AWS for Athena ListWorkGroups (").endsWith("): check the network and --region");
    }

    @Test
    void missingCredentialsSayHowToProvideThem() throws IOException {
        Path empty = Files.writeString(home.resolve("credentials"), "");
        System.setProperty("aws.sharedCredentialsFile", empty.toString());
        System.setProperty("aws.configFile", empty.toString());
        try {
            CliRun run = usage("--endpoint", "http://127.0.0.1:9", "--region", "eu-west-1", "--profile", "nobody");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err().lines()).containsExactly(NOTHING_FETCHED, "error: no AWS credentials found for Athena "
                    + "ListWorkGroups: set AWS_PROFILE or pass --profile, run `aws sso login`, or set AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY");
        } finally {
            System.clearProperty("aws.sharedCredentialsFile");
            System.clearProperty("aws.configFile");
        }
    }
}
