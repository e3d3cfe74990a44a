package io.tributary.cli.athena;

import io.tributary.cli.common.CliError;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

/**
 * Runs DDL statements in Athena one at a time through AWS SDK v2 (credentials from the default
 * chain): starts each, polls it until it ends, and stops at the first failure with Athena's reason.
 */
public final class AthenaRunner implements AutoCloseable {
    private final AthenaClient athena;
    private final String workgroup;
    private final String outputLocation;
    private final Duration timeout;

    public AthenaRunner(AthenaClient athena, String workgroup, String outputLocation, Duration timeout) {
        this.athena = athena;
        this.workgroup = workgroup;
        this.outputLocation = outputLocation;
        this.timeout = timeout;
    }

    /** Runs each statement (in {@code database}, unless null) and waits for it; throws naming the first that failed. */
    public void run(List<String> statements, String database, PrintWriter out) throws InterruptedException {
        for (String sql : statements) {
            String first = sql.lines().findFirst().orElse(sql);
            StartQueryExecutionRequest.Builder start = StartQueryExecutionRequest.builder().queryString(sql).workGroup(workgroup);
            if (outputLocation != null && !outputLocation.isBlank()) {
                start.resultConfiguration(r -> r.outputLocation(outputLocation));
            }
            if (database != null) {
                start.queryExecutionContext(c -> c.database(database));
            }
            String id = athena.startQueryExecution(start.build()).queryExecutionId();
            QueryExecution done = await(id);
            if (done.status().state() != QueryExecutionState.SUCCEEDED) {
                throw new CliError("Athena query " + id + " (" + first + ") ended " + done.status().state() + ": "
                        + done.status().stateChangeReason());
            }
            out.printf("  %s ... %s (%s)%n", first, done.status().state(), id);
            out.flush();
        }
    }

    private QueryExecution await(String id) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        long pause = 200;
        while (true) {
            QueryExecution execution = athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution();
            QueryExecutionState state = execution.status().state();
            if (state == QueryExecutionState.SUCCEEDED || state == QueryExecutionState.FAILED
                    || state == QueryExecutionState.CANCELLED) {
                return execution;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new CliError("Athena query " + id + " is still " + state + " after " + timeout
                        + "; see it in the Athena console");
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 2_000);
        }
    }

    @Override
    public void close() {
        athena.close();
    }
}
