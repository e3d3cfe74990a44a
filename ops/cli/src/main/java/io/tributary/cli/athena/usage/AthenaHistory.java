package io.tributary.cli.athena.usage;

import io.tributary.cli.aws.AwsErrors;
import io.tributary.cli.common.CliError;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.BatchGetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.ListQueryExecutionsResponse;
import software.amazon.awssdk.services.athena.model.ListWorkGroupsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.UnprocessedQueryExecutionId;

/**
 * The queries Athena remembers (45 days per workgroup): ListQueryExecutions pages of ids, described
 * by BatchGetQueryExecution 50 ids a call. Athena lists a workgroup's queries newest first, so the
 * listing of a workgroup stops after the first batch whose queries were all submitted before the
 * window; ids listed twice (new queries shift the pages) are described once.
 */
final class AthenaHistory {
    /** BatchGetQueryExecution's documented maximum of ids per call, and ListQueryExecutions' page maximum. */
    static final int BATCH = 50;

    private final AthenaClient athena;
    private final Progress progress;

    /** The queries submitted in the window, and the ids Athena could not describe (with its reason). */
    record Listing(List<QueryExecution> executions, List<UnprocessedQueryExecutionId> unprocessed) {
    }

    AthenaHistory(AthenaClient athena, Progress progress) {
        this.athena = athena;
        this.progress = progress;
    }

    /** The workgroups to report: {@code wanted}, checked against the region's, or all of them when empty. */
    List<String> workgroups(List<String> wanted) {
        List<String> all = new ArrayList<>();
        try {
            for (ListWorkGroupsResponse page : athena.listWorkGroupsPaginator(r -> r.maxResults(BATCH))) {
                page.workGroups().forEach(w -> all.add(w.name()));
            }
        } catch (SdkException e) {
            throw AwsErrors.describe(e, "Athena ListWorkGroups", "athena:ListWorkGroups");
        }
        if (wanted == null || wanted.isEmpty()) {
            progress.workgroups(all.size());
            return all;
        }
        List<String> unknown = wanted.stream().filter(w -> !all.contains(w)).toList();
        if (!unknown.isEmpty()) {
            throw new CliError("no workgroup " + String.join(", ", unknown) + " in this region; its workgroups are "
                    + String.join(", ", all) + " (check --workgroup and --region)");
        }
        progress.workgroups(wanted.size());
        return List.copyOf(wanted);
    }

    Listing queries(List<String> workgroups, TimeWindow window) {
        List<QueryExecution> executions = new ArrayList<>();
        List<UnprocessedQueryExecutionId> unprocessed = new ArrayList<>();
        for (String workgroup : workgroups) {
            Set<String> seen = new HashSet<>();
            Deque<String> pending = new ArrayDeque<>();
            boolean pastWindow = false;
            Iterator<ListQueryExecutionsResponse> pages = athena
                    .listQueryExecutionsPaginator(r -> r.workGroup(workgroup).maxResults(BATCH)).iterator();
            while (!pastWindow && hasNext(pages, workgroup)) {
                ListQueryExecutionsResponse page = next(pages, workgroup);
                progress.listPage();
                page.queryExecutionIds().stream().filter(seen::add).forEach(pending::add);
                while (!pastWindow && pending.size() >= BATCH) {
                    pastWindow = describe(take(pending, BATCH), window, executions, unprocessed);
                }
            }
            if (!pastWindow && !pending.isEmpty()) {
                describe(take(pending, pending.size()), window, executions, unprocessed);
            }
        }
        return new Listing(executions, unprocessed);
    }

    /** Describes one batch, keeps its queries in the window; true when all of them were submitted before it. */
    private boolean describe(List<String> ids, TimeWindow window, List<QueryExecution> executions,
                             List<UnprocessedQueryExecutionId> unprocessed) {
        BatchGetQueryExecutionResponse response;
        try {
            response = athena.batchGetQueryExecution(b -> b.queryExecutionIds(ids));
        } catch (SdkException e) {
            throw AwsErrors.describe(e, "Athena BatchGetQueryExecution", "athena:BatchGetQueryExecution");
        }
        unprocessed.addAll(response.unprocessedQueryExecutionIds());
        int inWindow = 0;
        boolean allBefore = !response.queryExecutions().isEmpty();
        for (QueryExecution execution : response.queryExecutions()) {
            Instant submitted = execution.status().submissionDateTime();
            if (window.contains(submitted)) {
                executions.add(execution);
                inWindow++;
            }
            allBefore &= submitted.isBefore(window.from());
        }
        progress.batch(response.queryExecutions().size(), inWindow);
        return allBefore;
    }

    private static List<String> take(Deque<String> pending, int n) {
        List<String> batch = new ArrayList<>(n);
        while (batch.size() < n) {
            batch.add(pending.removeFirst());
        }
        return batch;
    }

    private static boolean hasNext(Iterator<ListQueryExecutionsResponse> pages, String workgroup) {
        try {
            return pages.hasNext();
        } catch (SdkException e) {
            throw listFailed(e, workgroup);
        }
    }

    private static ListQueryExecutionsResponse next(Iterator<ListQueryExecutionsResponse> pages, String workgroup) {
        try {
            return pages.next();
        } catch (SdkException e) {
            throw listFailed(e, workgroup);
        }
    }

    private static CliError listFailed(SdkException e, String workgroup) {
        return AwsErrors.describe(e, "Athena ListQueryExecutions for workgroup " + workgroup, "athena:ListQueryExecutions");
    }
}
