package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.common.Settings;
import io.tributary.testing.FreePorts;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every expected failure of a production command (a bad flag value, a missing setting, an endpoint
 * that does not answer, missing credentials) is one line saying what went wrong and what to do,
 * never a stack trace. The settings are empty, so nothing from this machine's environment leaks in.
 */
class ProductionErrorsTest {
    private static final int CLOSED = FreePorts.one();

    @TempDir
    static Path work;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "connectors status --connect-url http://127.0.0.1:CLOSED --bootstrap-servers 127.0.0.1:CLOSED"
                + " | (ConnectException); is the worker running, and is --connect-url (TRIBUTARY_CONNECT_URL) its REST address?",
        "connectors apply --environment staging | Unknown environment 'staging'; use one of [local, production]",
        "athena apply --bucket lake --dt-range-start yesterday | Invalid value yesterday for configuration --dt-range-start: expected an ISO date, yyyy-MM-dd",
        "query SELECT_1 | --bucket is required: pass it, or set TRIBUTARY_LAKE_BUCKET",
        "athena verify --bucket lake --s3-endpoint http://127.0.0.1:CLOSED --region eu-west-1 --work-dir WORK"
                + " | cannot reach AWS for S3 copy of s3://lake/lake/ at http://127.0.0.1:CLOSED",
        "athena apply --bucket lake --region eu-west-1 --profile no-such-profile --output-location s3://lake/athena/"
                + " | no AWS credentials found for Athena StartQueryExecution",
        "cdc verify --jdbc-url jdbc:mariadb://127.0.0.1:CLOSED/shop --db-user tributary --bucket lake"
                + " --s3-endpoint http://127.0.0.1:CLOSED --region eu-west-1 --work-dir WORK | 127.0.0.1:CLOSED",
        "cdc verify --every soon | --every",
        "replay --table app_events --from 2026-11-01T00 --to 2026-11-01T01 --config ../../streams-app/config/pipeline.properties"
                + " | is not valid: Invalid value (empty) for configuration pii.salt",
    })
    void isOneLineSayingWhatToDo(String command, String advice) {
        String[] args = Arrays.stream(command.replace("CLOSED", Integer.toString(CLOSED)).replace("WORK", work.toString())
                .split(" ")).map(a -> a.replace('_', ' ')).toArray(String[]::new);
        CliRun run = CliRun.with(settings(), args);

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err().lines().filter(l -> l.startsWith("error: ")))
                .singleElement().asString().contains(advice.replace("CLOSED", Integer.toString(CLOSED)));
        assertThat(run.err().lines()).as("a stack trace: an exception's name, 'at' lines, causes")
                .noneMatch(l -> l.matches("[\\w.$]+(Exception|Error)\\b.*") || l.startsWith("\tat ") || l.startsWith("Caused by"));
    }

    /** Static credentials (the default chain would look for this machine's) and a database password. */
    private static Settings settings() {
        Map<String, String> settings = Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "TRIBUTARY_CDC_VERIFY_PASSWORD", "secret");
        return settings::get;
    }
}
