package io.tributary.cli.athena.usage;

import java.math.BigDecimal;
import java.time.Instant;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionContext;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatistics;

/** One query of the report (and one row of athena_queries): Athena's facts, who ran it, and its estimated cost. */
public record QueryRecord(String id, String workgroup, String principal, String catalog, String database, String statementType,
                          String state, String stateChangeReason, Instant submittedAt, Instant completedAt, Long engineMs,
                          Long totalMs, Long bytesScanned, String sql, BigDecimal cost) {

    /** @param principal who started it per CloudTrail, or null when CloudTrail has no event for it */
    public static QueryRecord of(QueryExecution e, String principal, CostModel prices) {
        QueryExecutionContext context = e.queryExecutionContext();
        QueryExecutionStatistics stats = e.statistics();
        String type = e.statementTypeAsString();
        String state = e.status().stateAsString();
        Long bytes = stats == null ? null : stats.dataScannedInBytes();
        return new QueryRecord(e.queryExecutionId(), e.workGroup(), principal,
                context == null ? null : context.catalog(), context == null ? null : context.database(), type, state,
                e.status().stateChangeReason(), e.status().submissionDateTime(), e.status().completionDateTime(),
                stats == null ? null : stats.engineExecutionTimeInMillis(), stats == null ? null : stats.totalExecutionTimeInMillis(),
                bytes, e.query(), prices.cost(type, state, bytes));
    }

    public boolean failed() {
        return "FAILED".equals(state);
    }

    public long bytes() {
        return bytesScanned == null ? 0 : bytesScanned;
    }
}
