package io.tributary.cli.athena.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.cli.athena.AwsJsonEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays recorded AWS exchanges in order: each request received must equal the next recorded one
 * (target and body, page tokens included), and gets its recorded response. A request that differs
 * is answered with a non-retryable ValidationException and noted, so the test fails naming it.
 */
final class RecordedConversation implements AwsJsonEndpoint.Responder {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Exchange(String target, JsonNode request, int status, JsonNode response) {
    }

    private final List<Exchange> exchanges = new ArrayList<>();
    private final List<String> mismatches = new ArrayList<>();
    private int next;

    /** @param resource a JSON-lines file of {target, request, status, response} */
    RecordedConversation(String resource) {
        try {
            for (String line : AwsJsonEndpoint.resource(resource).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode x = JSON.readTree(line);
                    exchanges.add(new Exchange(x.path("target").asText(), x.path("request"), x.path("status").asInt(),
                            x.path("response")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public AwsJsonEndpoint.Reply respond(String target, JsonNode body) throws IOException {
        if (next >= exchanges.size()) {
            return mismatch("request " + (next + 1) + " " + target + " " + body + " after the recorded conversation ended");
        }
        Exchange expected = exchanges.get(next);
        if (!expected.target().equals(target) || !expected.request().equals(body)) {
            return mismatch("request " + (next + 1) + ": expected " + expected.target() + " " + expected.request() + "\n but got "
                    + target + " " + body);
        }
        next++;
        return new AwsJsonEndpoint.Reply(expected.status(), JSON.writeValueAsString(expected.response()));
    }

    private AwsJsonEndpoint.Reply mismatch(String what) throws IOException {
        mismatches.add(what);
        ObjectNode error = JSON.createObjectNode().put("__type", "ValidationException").put("message", "not recorded: " + what);
        return new AwsJsonEndpoint.Reply(400, JSON.writeValueAsString(error));
    }

    List<Exchange> exchanges() {
        return exchanges;
    }

    List<String> mismatches() {
        return mismatches;
    }

    /** How many recorded exchanges were not asked for. */
    int remaining() {
        return exchanges.size() - next;
    }
}
