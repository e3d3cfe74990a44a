package io.tributary.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The IAM policies of ops/iam parse as IAM policy documents and grant exactly the S3, Athena and
 * CloudTrail actions the code calls (read from the sources: every AWS SDK call Tributary makes is
 * one of {@link #ACTION_OF_CALL}'s), plus the actions AWS needs around calls the code does not make
 * itself: Glue and the result bucket for Athena DDL, ListBucket for a 404 on a missing key.
 */
class IamPolicyTest {
    private static final Path IAM = Distributions.REPO.resolve("ops/iam");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** AWS SDK v2 client methods and the IAM action each needs. */
    private static final Map<String, String> ACTION_OF_CALL = Map.ofEntries(
            Map.entry("putObject", "s3:PutObject"), Map.entry("createMultipartUpload", "s3:PutObject"),
            Map.entry("uploadPart", "s3:PutObject"), Map.entry("completeMultipartUpload", "s3:PutObject"),
            Map.entry("abortMultipartUpload", "s3:AbortMultipartUpload"), Map.entry("getObject", "s3:GetObject"),
            Map.entry("getObjectAsBytes", "s3:GetObject"), Map.entry("headObject", "s3:GetObject"),
            Map.entry("listObjectsV2", "s3:ListBucket"), Map.entry("listObjectsV2Paginator", "s3:ListBucket"),
            Map.entry("deleteObject", "s3:DeleteObject"), Map.entry("deleteObjects", "s3:DeleteObject"),
            Map.entry("startQueryExecution", "athena:StartQueryExecution"), Map.entry("getQueryExecution", "athena:GetQueryExecution"),
            Map.entry("getQueryResults", "athena:GetQueryResults"), Map.entry("getQueryResultsPaginator", "athena:GetQueryResults"),
            Map.entry("listQueryExecutions", "athena:ListQueryExecutions"),
            Map.entry("listQueryExecutionsPaginator", "athena:ListQueryExecutions"),
            Map.entry("batchGetQueryExecution", "athena:BatchGetQueryExecution"), Map.entry("listWorkGroups", "athena:ListWorkGroups"),
            Map.entry("listWorkGroupsPaginator", "athena:ListWorkGroups"), Map.entry("lookupEvents", "cloudtrail:LookupEvents"),
            Map.entry("lookupEventsPaginator", "cloudtrail:LookupEvents"));
    private static final Pattern SDK_IMPORT = Pattern.compile("import software\\.amazon\\.awssdk\\.services\\.(s3|athena|cloudtrail|glue)\\.");
    private static final Pattern CALL = Pattern.compile("\\.(" + String.join("|", ACTION_OF_CALL.keySet()) + ")\\(");

    @Test
    void sinkPolicyGrantsWhatTheSinksStorageCalls() throws IOException {
        Set<String> expected = calledActions(List.of("connectors/s3-sink/src/main/java", "connectors/lake-io/src/main/java/io/tributary/lake/store/S3Storage.java"));
        assertThat(expected).contains("s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload");
        expected.add("s3:ListBucket"); // a HEAD of a missing key answers 403 instead of 404 without it
        // S3Storage's deletes serve compaction and replay (the CLI); the sink never deletes, so it is not granted.
        assertThat(Files.readString(Distributions.REPO.resolve("connectors/lake-io/src/main/java/io/tributary/lake/store/ObjectStore.java")))
                .contains("void delete(");
        try (Stream<Path> sources = Files.walk(Distributions.REPO.resolve("connectors/s3-sink/src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                assertThat(Files.readString(source)).as(source + " deletes objects").doesNotContain(".delete(");
            }
        }
        expected.remove("s3:DeleteObject");
        assertThat(actions(policy("s3-sink.json"))).isEqualTo(expected);
    }

    @Test
    void cliPolicyGrantsWhatTheCliCallsAndAthenaDdlNeeds() throws IOException {
        Set<String> expected = calledActions(List.of("ops/cli/src/main/java", "connectors/lake-io/src/main/java/io/tributary/lake/store"));
        assertThat(expected).contains("athena:StartQueryExecution", "athena:BatchGetQueryExecution", "cloudtrail:LookupEvents",
                "s3:ListBucket");
        // Athena runs CREATE DATABASE / CREATE EXTERNAL TABLE / ALTER TABLE ADD COLUMNS against Glue as the caller,
        // and writes each query's result to the workgroup's output location as the caller.
        expected.addAll(List.of("glue:GetDatabase", "glue:CreateDatabase", "glue:GetTable", "glue:CreateTable", "glue:UpdateTable",
                "s3:GetBucketLocation", "s3:ListMultipartUploadParts"));
        assertThat(actions(policy("cli.json"))).isEqualTo(expected);
    }

    @Test
    void everyPolicyIsAnAllowOnlyDocumentWithNamedResources() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(IAM)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("cli.json", "s3-sink.json");
        // Actions that IAM accepts only on "Resource": "*".
        Set<String> unscoped = Set.of("athena:ListWorkGroups", "cloudtrail:LookupEvents");
        for (Path file : files) {
            JsonNode policy = JSON.readTree(file.toFile());
            assertThat(policy.path("Version").asText()).as(file.toString()).isEqualTo("2012-10-17");
            Set<String> sids = new TreeSet<>();
            for (JsonNode statement : policy.path("Statement")) {
                assertThat(sids.add(statement.path("Sid").asText())).as("unique Sid in %s", file).isTrue();
                assertThat(statement.path("Sid").asText()).matches("[A-Za-z0-9]+");
                assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
                List<String> resources = texts(statement.path("Resource"));
                assertThat(resources).isNotEmpty();
                for (String action : texts(statement.path("Action"))) {
                    assertThat(action).as("%s in %s", action, file).matches("(s3|athena|glue|cloudtrail):[A-Z][A-Za-z]+");
                    if (resources.contains("*")) {
                        assertThat(unscoped).as("%s on every resource in %s", action, file).contains(action);
                    }
                }
                resources.forEach(r -> assertThat(r).matches("\\*|arn:aws:(s3|athena|glue):[^*]*(/\\*)?"));
            }
        }
    }

    private static JsonNode policy(String name) throws IOException {
        return JSON.readTree(IAM.resolve(name).toFile());
    }

    private static Set<String> actions(JsonNode policy) {
        Set<String> actions = new TreeSet<>();
        policy.path("Statement").forEach(s -> actions.addAll(texts(s.path("Action"))));
        return actions;
    }

    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (!node.isMissingNode()) {
            out.add(node.asText());
        }
        return out;
    }

    /** The actions of the SDK calls in the Java files that use an AWS service client, under these paths. */
    private static Set<String> calledActions(List<String> paths) throws IOException {
        Set<String> actions = new TreeSet<>();
        for (String path : paths) {
            try (Stream<Path> files = Files.walk(Distributions.REPO.resolve(path))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    if (!SDK_IMPORT.matcher(source).find()) {
                        continue;
                    }
                    Matcher m = CALL.matcher(source);
                    while (m.find()) {
                        actions.add(ACTION_OF_CALL.get(m.group(1)));
                    }
                }
            }
        }
        return actions;
    }
}
