package io.tributary.cli.athena.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.cli.aws.AwsErrors;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/**
 * Who started each query: CloudTrail's StartQueryExecution management events (LookupEvents reaches
 * 90 days back), query execution id ({@code responseElements.queryExecutionId}) to principal
 * ({@code userIdentity.arn}). Calls that failed carry no query id and are skipped.
 */
final class CloudTrailPrincipals {
    static final String EVENT_NAME = "StartQueryExecution";
    static final String EVENT_SOURCE = "athena.amazonaws.com";
    /** LookupEvents' page maximum. */
    static final int PAGE = 50;
    /**
     * The event time is when the API call was made and Athena's submission time when it accepted
     * the query: the same moment, give or take a second. The margin keeps queries at the window's
     * edges joined.
     */
    static final Duration MARGIN = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CloudTrailClient cloudTrail;
    private final Progress progress;

    CloudTrailPrincipals(CloudTrailClient cloudTrail, Progress progress) {
        this.cloudTrail = cloudTrail;
        this.progress = progress;
    }

    /** Query execution id to principal ARN, for the queries started in the window (and its margins). */
    Map<String, String> lookup(TimeWindow window, Instant now) {
        Instant end = window.to().plus(MARGIN);
        LookupEventsRequest request = LookupEventsRequest.builder()
                .lookupAttributes(a -> a.attributeKey(LookupAttributeKey.EVENT_NAME).attributeValue(EVENT_NAME))
                .startTime(window.from().minus(MARGIN))
                .endTime(end.isAfter(now) ? now : end)
                .maxResults(PAGE)
                .build();
        Map<String, String> principals = new HashMap<>();
        try {
            for (LookupEventsResponse page : cloudTrail.lookupEventsPaginator(request)) {
                progress.trailPage(page.events().size());
                for (Event event : page.events()) {
                    JsonNode record = parse(event.cloudTrailEvent());
                    String id = record.at("/responseElements/queryExecutionId").asText("");
                    String arn = record.at("/userIdentity/arn").asText("");
                    if (EVENT_SOURCE.equals(record.path("eventSource").asText()) && !id.isEmpty() && !arn.isEmpty()) {
                        principals.put(id, arn);
                    }
                }
            }
        } catch (SdkException e) {
            throw AwsErrors.describe(e, "CloudTrail LookupEvents", "cloudtrail:LookupEvents");
        }
        return principals;
    }

    private static JsonNode parse(String cloudTrailEvent) {
        try {
            return cloudTrailEvent == null ? JSON.createObjectNode() : JSON.readTree(cloudTrailEvent);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
